package dev.ingot.runtime.kvcache;

/**
 * A snapshot of a {@link BlockPool}'s occupancy.
 *
 * @param total          number of blocks in the pool
 * @param free           blocks with refcount 0 (allocatable; includes {@code cachedEvictable})
 * @param cachedEvictable free blocks that still carry a block hash, so a prefix lookup can revive them
 * @param used           blocks with refcount &gt; 0; {@code free + used == total}
 */
public record BlockPoolStats(int total, int free, int cachedEvictable, int used) {
    /** Fraction of the pool referenced by sequences, in [0, 1]. */
    public double usage() {
        return total == 0 ? 0 : (double) used / total;
    }
}
