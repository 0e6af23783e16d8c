package dev.ingot.kernel.nativec;

import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The native counterpart of {@link dev.ingot.kernel.linear.ParallelLinear}, same {@code run} signature: the
 * activations are quantised once per call (tokens split over the pool) into a buffer of the calling thread,
 * then rows of N are split over the pool, each chunk one downcall over pre-quantised activations. Through
 * plain {@code ParallelLinear} every chunk would quantise all T tokens again (at T = 128, 2 threads, that
 * halved throughput). One instance per call site; not for concurrent use by two callers.
 *
 * <p>The buffer is one per calling thread (the engine thread), shared by every call site it runs one after
 * another: a buffer per call site would hold ~8 MB per layer of a 1B model at T = 128. It grows to the
 * largest T x K seen and is freed by the GC ({@link Arena#ofAuto()}) once the thread is gone.
 */
public final class NativeParallelLinear {
    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> MemorySegment.NULL);

    private final NativeLinear kernel;
    private MemorySegment xq = MemorySegment.NULL;
    private final Quantize quantize = new Quantize();
    private final Rows rows = new Rows();

    public NativeParallelLinear(NativeLinear kernel) { this.kernel = kernel; }

    public NativeLinear kernel() { return kernel; }

    /** Rows per chunk: ~64 KiB of weights, at least 2 chunks per thread when N allows, whole cache blocks (so no 1-row tail tiles). */
    static int grain(long rowBytes, int N, int threads, int rowBlock) {
        int g = (int) Math.max(rowBlock, (64 * 1024) / Math.max(1, rowBytes));
        g = Math.min(g, Math.max(rowBlock, N / (2 * threads)));
        return (g + rowBlock - 1) / rowBlock * rowBlock;
    }

    public void run(WorkerPool pool, MemorySegment w, int N, int K, float[] x, int xOff, int xStride,
                    float[] y, int yOff, int yStride, int T, float[] bias) {
        if (T <= 0 || N <= 0) return;
        kernel.checkBounds(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, N);
        long need = T * NativeLinear.tokenBytes(K);
        xq = BUFFER.get();
        if (xq.byteSize() < need) {
            xq = Arena.ofAuto().allocate(need + need / 4, 64);
            BUFFER.set(xq);
        }
        quantize.set(x, xOff, xStride, K);
        try {
            if (T >= 16) pool.parallelFor(T, Math.max(1, T / (2 * pool.threads())), quantize);
            else quantize.run(0, T);
            rows.set(w, K, y, yOff, yStride, T, bias);
            pool.parallelFor(N, grain(kernel.dtype().rowBytes(K), N, pool.threads(), kernel.source().rowBlock()), rows);
        } finally {
            quantize.x = null;
            rows.y = null; rows.bias = null; rows.w = null;
            xq = MemorySegment.NULL;
        }
    }

    private final class Quantize implements RangeTask {
        float[] x;
        int xOff, xStride, K;

        void set(float[] x, int xOff, int xStride, int K) { this.x = x; this.xOff = xOff; this.xStride = xStride; this.K = K; }

        @Override public void run(int from, int to) { kernel.quantize(x, xOff, xStride, K, from, to, xq); }
    }

    private final class Rows implements RangeTask {
        MemorySegment w;
        int K, yOff, yStride, T;
        float[] y, bias;

        void set(MemorySegment w, int K, float[] y, int yOff, int yStride, int T, float[] bias) {
            this.w = w; this.K = K; this.y = y; this.yOff = yOff; this.yStride = yStride; this.T = T; this.bias = bias;
        }

        @Override public void run(int from, int to) { kernel.rowsQuantized(w, K, xq, y, yOff, yStride, T, bias, from, to); }
    }
}
