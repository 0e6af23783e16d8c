package dev.ingot.kernel.attention;

import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;

/**
 * Allocation-free parallel call of an {@link AttentionKernel} over the T * nHeads (token, head) items, split in
 * whole GQA groups (the query heads of one KV head) so a kernel can read each K/V row once per group.
 * One instance per call site; not for concurrent use by two callers.
 */
public final class ParallelAttention implements RangeTask {
    private final AttentionKernel kernel;
    private PagedKv kv;
    private int nHeads, qOff, outOff, group;
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
        try {
            pool.parallelFor(T * nHeads / group, 1, this); // groups are long (a whole context each): claim one at a time
        } finally {
            this.kv = null; this.q = null; this.out = null; this.seq = null; this.pos = null; this.blockTables = null;
        }
    }

    @Override
    public void run(int from, int to) {
        kernel.attend(kv, nHeads, q, qOff, out, outOff, seq, pos, blockTables, scale, from * group, to * group);
    }
}
