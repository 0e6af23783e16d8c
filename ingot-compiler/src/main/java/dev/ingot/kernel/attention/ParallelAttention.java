package dev.ingot.kernel.attention;

import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;

/**
 * Allocation-free parallel call of an {@link AttentionKernel} over the T * nHeads (token, head) items. A work
 * unit is one token's heads of {@code kvPer} consecutive KV heads (whole GQA groups, so a kernel reads each
 * K/V row once per group): as many KV heads as still leave about 4 units per worker, so a batch of many
 * tokens walks each context once per token with every head (one sequential stream over each cache slot),
 * while a single decode token still spreads its heads over the workers.
 * One instance per call site; not for concurrent use by two callers.
 */
public final class ParallelAttention implements RangeTask {
    private final AttentionKernel kernel;
    private PagedKv kv;
    private int nHeads, qOff, outOff, group, kvPer, chunks, nKv;
    private float[] q, out;
    private int[] seq, pos;
    private int[][] blockTables;
    private float scale;

    public ParallelAttention(AttentionKernel kernel) { this.kernel = kernel; }

    public void run(WorkerPool pool, PagedKv kv, int T, int nHeads, float[] q, int qOff, float[] out, int outOff,
                    int[] seq, int[] pos, int[][] blockTables, float scale) {
        this.kv = kv; this.nHeads = nHeads; this.q = q; this.qOff = qOff; this.out = out; this.outOff = outOff;
        this.seq = seq; this.pos = pos; this.blockTables = blockTables; this.scale = scale;
        this.group = nHeads % kv.nKvHeads() == 0 ? nHeads / kv.nKvHeads() : 1;
        this.nKv = nHeads / group;
        int target = 4 * pool.threads();
        this.kvPer = Math.max(1, nKv / ((target + T - 1) / T));
        this.chunks = (nKv + kvPer - 1) / kvPer;
        try {
            pool.parallelFor(T * chunks, 1, this); // units are long (a whole context each): claim one at a time
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
