package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Several linear layers that read the same activations, run as one parallel call (horizontal fusion):
 * {@code y_i [T, N_i] = x [T, K] · W_iᵀ (+ b_i)}, e.g. a layer's Q, K and V projections or its FFN gate and up.
 * One worker-pool dispatch and barrier instead of one per layer, the activations quantised once for a native
 * kernel instead of once per layer, and the small K/V projections balanced together with Q.
 *
 * <p>The parts' rows are cut into chunks once, at construction (each chunk within one part, whole register
 * tiles); a call hands the chunk indices to the pool. All parts use one kernel and share K. One instance per
 * call site; not for concurrent use by two callers.
 */
public final class GroupedLinear implements RangeTask {
    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> MemorySegment.NULL);

    private final LinearKernel kernel;
    private final NativeLinear nat;          // kernel as native, or null
    private final MemorySegment[] w;
    private final int[] n;
    private final float[][] bias;
    private final int K;
    private final int[] chunkPart, chunkFrom, chunkTo;
    private final Quantize quantize = new Quantize();

    // per call
    private float[] x, y;
    private int xOff, xStride, T;
    private int[] yOff, yStride;
    private MemorySegment xq = MemorySegment.NULL;

    /**
     * @param w    each part's weights [N_i, K] in the kernel's storage type
     * @param n    N_i
     * @param bias each part's bias [N_i] or null
     */
    public GroupedLinear(LinearKernel kernel, MemorySegment[] w, int[] n, int K, float[][] bias, int threads) {
        if (w.length != n.length || n.length != bias.length || n.length == 0) throw new IllegalArgumentException("parts disagree");
        this.kernel = kernel;
        this.nat = kernel instanceof NativeLinear nl ? nl : null;
        this.w = w.clone();
        this.n = n.clone();
        this.bias = bias.clone();
        this.K = K;
        long rowBytes = kernel.dtype().rowBytes(K);
        int total = 0;
        for (int v : n) total += v;
        int[] grains = new int[n.length];
        int chunks = 0;
        for (int i = 0; i < n.length; i++) {
            // one grain for the whole group so that chunks are alike; a part smaller than a grain is one chunk
            grains[i] = nat != null ? NativeParallelLinear.grain(rowBytes, total, threads, nat.source().rowBlock())
                    : ParallelLinear.grain(rowBytes, total);
            chunks += (n[i] + grains[i] - 1) / grains[i];
        }
        chunkPart = new int[chunks];
        chunkFrom = new int[chunks];
        chunkTo = new int[chunks];
        int c = 0;
        for (int i = 0; i < n.length; i++) {
            for (int r = 0; r < n[i]; r += grains[i], c++) {
                chunkPart[c] = i;
                chunkFrom[c] = r;
                chunkTo[c] = Math.min(n[i], r + grains[i]);
            }
        }
    }

    public int parts() { return n.length; }

    public LinearKernel kernel() { return kernel; }

    /** Runs every part: part i's token t row at {@code y[yOff[i] + t * yStride[i]]}. */
    public void run(WorkerPool pool, float[] x, int xOff, int xStride, float[] y, int[] yOff, int[] yStride, int T) {
        if (T <= 0) return;
        for (int i = 0; i < n.length; i++) {
            if (nat != null) nat.checkBounds(w[i], K, x, xOff, xStride, y, yOff[i], yStride[i], T, bias[i], n[i]);
            else if (K <= 0) throw new IllegalArgumentException("K = " + K);
        }
        this.x = x; this.xOff = xOff; this.xStride = xStride; this.y = y; this.yOff = yOff; this.yStride = yStride; this.T = T;
        try {
            if (nat != null) {
                long need = T * NativeLinear.tokenBytes(K);
                xq = BUFFER.get();
                if (xq.byteSize() < need) {
                    xq = Arena.ofAuto().allocate(need + need / 4, 64);
                    BUFFER.set(xq);
                }
                if (T >= 16) pool.parallelFor(T, Math.max(1, T / (2 * pool.threads())), quantize);
                else quantize.run(0, T);
            }
            pool.parallelFor(chunkPart.length, 1, this);
        } finally {
            this.x = null; this.y = null; this.yOff = null; this.yStride = null;
            xq = MemorySegment.NULL;
        }
    }

    @Override
    public void run(int from, int to) {
        for (int c = from; c < to; c++) {
            int p = chunkPart[c];
            if (nat != null) nat.rowsQuantized(w[p], K, xq, y, yOff[p], yStride[p], T, bias[p], chunkFrom[c], chunkTo[c]);
            else kernel.rows(w[p], K, x, xOff, xStride, y, yOff[p], yStride[p], T, bias[p], chunkFrom[c], chunkTo[c]);
        }
    }

    private final class Quantize implements RangeTask {
        @Override public void run(int from, int to) { nat.quantize(x, xOff, xStride, K, from, to, xq); }
    }
}
