package dev.ingot.kernel.attention;

/**
 * Causal paged attention for a flattened batch: token t (of T) belongs to sequence {@code seq[t]} at
 * position {@code pos[t]} and attends to positions {@code 0..pos[t]} of that sequence, read through
 * {@code blockTables[seq[t]]} (its own K/V must already be written to the cache). GQA: query head h reads
 * KV head {@code h / (nHeads / nKvHeads)}. Scores are scaled by {@code scale} (1/sqrt(headDim) for Llama).
 *
 * <p>Layouts: {@code q} and {@code out} are [T, nHeads, headDim] floats at {@code qOff} / {@code outOff}.
 * Work items are (token, head) pairs flattened as {@code t * nHeads + h}; a call computes items
 * {@code [from, to)} so {@link ParallelAttention} can split them. Online softmax (one pass over the
 * context, running max and sum), no score matrix is materialised.
 */
public interface AttentionKernel {
    void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to);
}
