package dev.ingot.runtime.scheduler;

import dev.ingot.runtime.kvcache.BlockPoolStats;
import dev.ingot.runtime.kvcache.PrefixCacheStats;

/**
 * A snapshot for metrics (the server's {@code /metrics}, {@code ingot bench}).
 *
 * @param steps       {@code schedule()} calls so far
 * @param running     running sequences
 * @param waiting     waiting sequences (new and preempted)
 * @param preemptions sequences preempted by recompute so far
 * @param blocks      KV pool occupancy
 * @param prefixCache prefix-cache hits and queries, in tokens
 */
public record SchedulerStats(long steps, int running, int waiting, long preemptions, BlockPoolStats blocks,
                             PrefixCacheStats prefixCache) {}
