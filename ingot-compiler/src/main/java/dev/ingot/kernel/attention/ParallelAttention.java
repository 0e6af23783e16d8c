package dev.ingot.kernel.attention;

import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;

/**
 * Allocation-free parallel call of an {@link AttentionKernel} over the T * nHeads (token, head) items. A work
 * unit is one token's heads of {@code kvPer} consecutive KV heads (whole GQA groups, so a kernel reads each
 * K/V row once per group): as many KV heads as still leave about {@code unitsPerThread} (default
 * {@link #UNITS_PER_THREAD}) units per worker, so a batch of many tokens walks each context once per token with
 * every head (one sequential stream over each cache slot), while a single decode token still spreads its heads
 * over the workers. {@code unitsPerThread} 0 runs every item on the calling thread (no pool dispatch: what a
 * short context prefers, where the work is a few microseconds). The attention schedule space tunes it.
 * One instance per call site; not for concurrent use by two callers.
 */
public final class ParallelAttention implements RangeTask {
    /** Units per worker thread when nothing is tuned. */
    public static final int UNITS_PER_THREAD = 4;

    private final AttentionKernel kernel;
    private final int unitsPerThread;
    private PagedKv kv;
    private int nHeads, qOff, outOff, group, kvPer, chunks, nKv;
    private float[] q, out;
    private int[] seq, pos;
    private int[][] blockTables;
    private float scale;

    public ParallelAttention(AttentionKernel kernel) { this(kernel, UNITS_PER_THREAD); }

    /** @param unitsPerThread work units to aim for per worker thread; 0 = everything on the calling thread */
    public ParallelAttention(AttentionKernel kernel, int unitsPerThread) {
        if (unitsPerThread < 0) throw new IllegalArgumentException("units per thread " + unitsPerThread);
        this.kernel = kernel;
        this.unitsPerThread = unitsPerThread;
    }

    public AttentionKernel kernel() { return kernel; }

    public int unitsPerThread() { return unitsPerThread; }

    /** KV heads per work unit for T tokens of nKv KV-head groups on {@code threads} workers (0 units: all of them). */
    public static int kvPerUnit(int unitsPerThread, int threads, int T, int nKv) {
        if (unitsPerThread == 0) return nKv;
        int target = unitsPerThread * threads;
        return Math.max(1, nKv / ((target + T - 1) / T));
    }

    public void run(WorkerPool pool, PagedKv kv, int T, int nHeads, float[] q, int qOff, float[] out, int outOff,
                    int[] seq, int[] pos, int[][] blockTables, float scale) {
        this.kv = kv; this.nHeads = nHeads; this.q = q; this.qOff = qOff; this.out = out; this.outOff = outOff;
        this.seq = seq; this.pos = pos; this.blockTables = blockTables; this.scale = scale;
        this.group = nHeads % kv.nKvHeads() == 0 ? nHeads / kv.nKvHeads() : 1;
        this.nKv = nHeads / group;
        this.kvPer = kvPerUnit(unitsPerThread, pool.threads(), T, nKv);
        this.chunks = (nKv + kvPer - 1) / kvPer;
        try {
            if (unitsPerThread == 0) run(0, T * chunks);
            else pool.parallelFor(T * chunks, 1, this); // units are long (a whole context each): claim one at a time
        } finally {
            this.kv = null; this.q = null; this.out = null; this.seq = null; this.pos = null; this.blockTables = null;
        }
    }

    @Override
    public void run(int from, int to) {
        for (int u = from; u < to; u++) {
            int t = u / chunks, k0 = (u % chunks) * kvPer, k1 = Math.min(nKv, k0 + kvPer);
            kernel.attend(kv, nHeads, q, qOff, out, outOff, seq, pos, blockTables, scale,
                    t * nHeads + k0 * group, t * nHeads + k1 * group);
        }
    }
}
