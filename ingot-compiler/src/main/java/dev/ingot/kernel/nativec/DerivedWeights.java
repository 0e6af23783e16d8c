package dev.ingot.kernel.nativec;

import dev.ingot.kernel.memory.Slab;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One kind of copy derived from weights once ({@link PackedWeights}' packed layout) and shared by every program
 * and call site: keyed weakly by the weight segment itself, so a copy (off-heap, a slice of a huge-page
 * {@link Slab} chunk in its own {@link Arena#ofAuto()}) is freed with its chunk once the model that owns the
 * weights is gone. Building one holds the cache's lock: two programs compiled at once
 * build a weight's copy once.
 */
final class DerivedWeights {
    /** Fills 16-row groups [g0, g1) of the copy at {@code dst}. */
    interface Fill {
        void groups(MemorySegment dst, int g0, int g1);
    }

    /** Every kind's copies: streamed each step, so on huge pages where the OS has them. */
    private static final Slab SLAB = new Slab(32L << 20);
    private final Map<MemorySegment, MemorySegment> cache = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The copy of {@code w} ({@code bytes} long, {@code groups} row groups), built on first use with its groups split
     * over {@code pool}, or on the calling thread when {@code pool} is null (a background compile).
     */
    MemorySegment of(MemorySegment w, long bytes, int groups, WorkerPool pool, Fill fill) {
        synchronized (cache) {
            MemorySegment c = cache.get(w);
            if (c != null && c.byteSize() == bytes) return c;
            MemorySegment dst = SLAB.allocate(bytes, 64);
            if (pool != null) {
                pool.parallelFor(groups, Math.max(1, groups / (4 * pool.threads())), (g0, g1) -> fill.groups(dst, g0, g1));
            } else {
                fill.groups(dst, 0, groups);
            }
            cache.put(w, dst);
            return dst;
        }
    }
}
