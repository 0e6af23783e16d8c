package dev.ingot.runtime.kvcache;

/**
 * The longest run of cached full blocks at the start of a token stream, as found by
 * {@link KvCacheManager#findCachedPrefix}. Never the whole stream: at least one token is left to compute
 * so the model produces logits. Valid only until the next pool mutation (an allocation may evict them).
 *
 * @param blockIds  cached block ids, in order; {@code numTokens == blockIds.length * blockSize}
 * @param numTokens     tokens whose KV these blocks already hold
 * @param queriedTokens length of the token stream that was looked up (for hit-rate counters)
 */
public record CachedPrefix(int[] blockIds, int numTokens, int queriedTokens) {
    /** No lookup at all (a sequence that already has a block table); counts nothing. */
    public static final CachedPrefix NONE = new CachedPrefix(new int[0], 0, 0);

    public CachedPrefix {
        blockIds = blockIds.clone();
    }

    @Override
    public int[] blockIds() {
        return blockIds.clone();
    }

    public int numBlocks() {
        return blockIds.length;
    }
}
