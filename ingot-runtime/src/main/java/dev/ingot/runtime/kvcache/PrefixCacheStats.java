package dev.ingot.runtime.kvcache;

/**
 * Prefix-cache hit counters in tokens, counted once per sequence admission (a request blocked at the
 * head of the queue and retried is not counted twice).
 *
 * @param queries prompt tokens looked up
 * @param hits    of those, tokens whose KV came from the cache
 */
public record PrefixCacheStats(long queries, long hits) {
    public double hitRate() {
        return queries == 0 ? 0 : (double) hits / queries;
    }
}
