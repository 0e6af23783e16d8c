package dev.ingot.runtime.scheduler;

/**
 * The tokens sampled for one scheduled sequence that needed logits.
 *
 * @param seqId    the {@link ScheduledSeq#seqId()}
 * @param tokenIds {@link ScheduledSeq#numSamples()} tokens, drawn from the sequence's last logits row;
 *                 sample {@code i} belongs to the sequence with index {@code i} after a fork
 * @param stop     per token: the caller detected EOS or a stop string (the token is still appended)
 */
public record SampledTokens(long seqId, int[] tokenIds, boolean[] stop) {
    public SampledTokens {
        if (tokenIds.length != stop.length) throw new IllegalArgumentException("tokenIds and stop differ in length");
        tokenIds = tokenIds.clone();
        stop = stop.clone();
    }

    public static SampledTokens of(long seqId, int tokenId, boolean stop) {
        return new SampledTokens(seqId, new int[] {tokenId}, new boolean[] {stop});
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    @Override
    public boolean[] stop() {
        return stop.clone();
    }
}
