package dev.ingot.kernel.linear;

import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;

/**
 * A reusable, allocation-free parallel call of a {@link LinearKernel}: one instance per call site (the code
 * generator keeps it in a field), arguments set per call, rows of N split across the pool in chunks of
 * {@link #grain} rows (a multiple of the 4-row register tile). Not for concurrent use by two callers.
 */
public final class ParallelLinear implements RangeTask {
    private final LinearKernel kernel;
    private MemorySegment w;
    private int K, xOff, xStride, yOff, yStride, T;
    private float[] x, y, bias;

    public ParallelLinear(LinearKernel kernel) { this.kernel = kernel; }

    /**
     * Rows per chunk: about 64 KiB of weights per chunk (1,000 cache lines: long enough for the prefetcher to
     * stream, small enough that N = 2048 splits into ~30 chunks for balancing), rounded up to the 4-row tile.
     * Each chunk runs all T tokens over its rows, so a weight row is read from memory once per call.
     */
    public static int grain(long rowBytes, int N) {
        int g = (int) Math.max(4, (64 * 1024) / Math.max(1, rowBytes));
        return (g + 3) & ~3;
    }

    public void run(WorkerPool pool, MemorySegment w, int N, int K, float[] x, int xOff, int xStride,
                    float[] y, int yOff, int yStride, int T, float[] bias) {
        this.w = w; this.K = K; this.x = x; this.xOff = xOff; this.xStride = xStride;
        this.y = y; this.yOff = yOff; this.yStride = yStride; this.T = T; this.bias = bias;
        try {
            pool.parallelFor(N, grain(kernel.dtype().rowBytes(K), N), this);
        } finally {
            this.w = null; this.x = null; this.y = null; this.bias = null;
        }
    }

    @Override
    public void run(int from, int to) {
        kernel.rows(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, from, to);
    }
}
