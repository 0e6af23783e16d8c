package dev.ingot.runtime.scheduler;

/**
 * One sequence's share of a step: compute K/V (and maybe logits) for {@code tokenIds} at
 * {@code positions}, attending to the sequence's first {@code numComputedTokens} tokens (already in the
 * cache) plus themselves (causally).
 *
 * @param seqId             the sequence (stable while it lives; a forked sample gets a new id)
 * @param requestId         its request
 * @param seqIndex          which of the request's samples ({@code 0} before the fork)
 * @param numComputedTokens context already in the KV cache before this step
 * @param tokenIds          the new tokens ({@code numNewTokens} of them: a prefill chunk or one decode token)
 * @param positions         their positions: {@code numComputedTokens, numComputedTokens + 1, ...}
 * @param blockTable        the sequence's whole block table after this step's allocation
 * @param slotMapping       per new token its KV slot {@code blockTable[p / blockSize] * blockSize + p % blockSize}
 * @param needsLogits       true iff the chunk ends at the sequence's last known token, so a token is sampled
 * @param numSamples        tokens to sample from that logits row: the request's {@code n} at the end of the
 *                          first prefill (the fork), else 1; 0 when {@code needsLogits} is false
 *
 * <p>The arrays are allocated fresh for each step and never touched again by the scheduler; they are
 * not copied on access (this is the per-step hot path), so consumers must treat them as read-only.
 */
public record ScheduledSeq(long seqId, String requestId, int seqIndex, int numComputedTokens, int[] tokenIds,
                           int[] positions, int[] blockTable, int[] slotMapping, boolean needsLogits, int numSamples) {
    public ScheduledSeq {
        if (tokenIds.length != positions.length || tokenIds.length != slotMapping.length) {
            throw new IllegalArgumentException("tokenIds, positions and slotMapping differ in length");
        }
    }

    public int numNewTokens() {
        return tokenIds.length;
    }

    /** Context length after this step: {@code numComputedTokens + numNewTokens}. */
    public int contextLength() {
        return numComputedTokens + tokenIds.length;
    }
}
