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

    /**
     * One sequence's {@code tokens} at positions {@code start..}, its K/V in the blocks of {@code blockTable} in
     * order (position p lives in block {@code blockTable[p / blockSize]}); logits for every token or only the last.
     * For callers that drive a single sequence without the scheduler (the CLI generator, benchmarks, tests).
     */
    public static FlatBatch singleSequence(int[] tokens, int start, int[] blockTable, int blockSize, boolean allLogits) {
        int t = tokens.length;
        int[] pos = new int[t], slots = new int[t];
        for (int i = 0; i < t; i++) {
            pos[i] = start + i;
            slots[i] = blockTable[pos[i] / blockSize] * blockSize + pos[i] % blockSize;
        }
        int[] rows = allLogits ? java.util.stream.IntStream.range(0, t).toArray() : new int[] {t - 1};
        int used = (start + t + blockSize - 1) / blockSize;
        return new FlatBatch(tokens, pos, slots, new int[] {0, t}, new int[] {start + t},
                new int[][] {java.util.Arrays.copyOf(blockTable, used)}, rows, filled(rows.length, 1), new long[rows.length]);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public int numTokens() {
        return tokenIds.length;
    }

    public int numSeqs() {
        return contextLens.length;
    }
}
