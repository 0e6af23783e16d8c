package dev.ingot.kernel.attention;

import dev.ingot.kernel.parallel.WorkerPool;

/**
 * What a paged attention step runs, by context length: {@link ParallelAttention} call sites for ascending context
 * bounds (a batch whose longest context is at most {@code upTo[i]} runs {@code calls[i]}; the last bound covers
 * everything beyond). Tuned schedules differ by context because the work behind each unit grows with it; an
 * untuned step has one entry. Same contract as {@link ParallelAttention}: one caller at a time.
 */
public final class AttentionPlan {
    private final int[] upTo;
    private final ParallelAttention[] calls;
    private final String label;

    /**
     * @param upTo  ascending context bounds, one per call (the last is taken for longer contexts too)
     * @param label what {@link #label()} reports: "" for an untuned plan, else the schedules by bound
     */
    public AttentionPlan(int[] upTo, ParallelAttention[] calls, String label) {
        if (upTo.length == 0 || upTo.length != calls.length) throw new IllegalArgumentException("bounds and calls differ");
        for (int i = 1; i < upTo.length; i++) if (upTo[i] <= upTo[i - 1]) throw new IllegalArgumentException("bounds not ascending");
        this.upTo = upTo.clone();
        this.calls = calls.clone();
        this.label = label;
    }

    /** One call for every context: what an untuned step runs. */
    public static AttentionPlan of(ParallelAttention call) { return new AttentionPlan(new int[] {Integer.MAX_VALUE}, new ParallelAttention[] {call}, ""); }

    public String label() { return label; }

    /** The call for a batch whose longest context is {@code ctx}. */
    public ParallelAttention callFor(int ctx) {
        for (int i = 0; i < upTo.length - 1; i++) if (ctx <= upTo[i]) return calls[i];
        return calls[calls.length - 1];
    }

    public int size() { return calls.length; }

    /** As {@link ParallelAttention#run}, on the call of the batch's longest context (max pos + 1). */
    public void run(WorkerPool pool, PagedKv kv, int T, int nHeads, float[] q, int qOff, float[] out, int outOff,
                    int[] seq, int[] pos, int[][] blockTables, float scale) {
        ParallelAttention call = calls[0];
        if (calls.length > 1) {
            int ctx = 0;
            for (int t = 0; t < T; t++) ctx = Math.max(ctx, pos[t] + 1);
            call = callFor(ctx);
        }
        call.run(pool, kv, T, nHeads, q, qOff, out, outOff, seq, pos, blockTables, scale);
    }
}
