package dev.ingot.runtime.scheduler;

/**
 * A step's sequences flattened into one token dimension {@code T} for the forward pass (the layout of
 * vLLM's varlen attention metadata). {@code S} is the number of scheduled sequences.
 *
 * @param tokenIds      {@code [T]} input tokens, sequence after sequence
 * @param positions     {@code [T]} RoPE positions
 * @param slotMapping   {@code [T]} KV slot each token's K/V is written to
 * @param queryStart    {@code [S + 1]} sequence {@code s} owns tokens {@code [queryStart[s], queryStart[s+1])}
 * @param contextLens   {@code [S]} tokens sequence {@code s} attends to after this step (cached + new)
 * @param blockTables   {@code [S][*]} each sequence's block table
 * @param logitsIndices indices into {@code T} of the rows whose logits are needed, in sequence order
 * @param numSamples    per entry of {@code logitsIndices}, how many tokens to sample from that row
 * @param logitsSeqIds  per entry of {@code logitsIndices}, the sequence it belongs to
 *
 * <p>Read-only by contract (arrays are shared, not copied, on the per-step hot path).
 */
public record FlatBatch(int[] tokenIds, int[] positions, int[] slotMapping, int[] queryStart, int[] contextLens,
                        int[][] blockTables, int[] logitsIndices, int[] numSamples, long[] logitsSeqIds) {

    public int numTokens() {
        return tokenIds.length;
    }

    public int numSeqs() {
        return contextLens.length;
    }
}
