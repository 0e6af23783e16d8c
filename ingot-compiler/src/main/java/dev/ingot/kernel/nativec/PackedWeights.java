package dev.ingot.kernel.nativec;

import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The packed ("x16") copies of weights that the native kernels read, made once per weight and shared by every
 * program (shape bucket) and call site using it. Keys are the weight segments themselves, held weakly: the
 * packed copy (off-heap, {@link Arena#ofAuto()}) is freed once the model that owns the weights is gone.
 * The row-major original is not read again after packing, so its mapped pages cost nothing but page cache.
 * Packing happens in tier-1 compiles on a background thread (see the runtime's tiered programs), so its cost
 * (~1 s for a 1B model) is off the start-up path.
 */
public final class PackedWeights {
    private static final Map<MemorySegment, MemorySegment> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private PackedWeights() {}

    /**
     * The packed form of {@code w} [N, K] for {@code kernel}, packing it on first use: row groups split over
     * {@code pool}, or on the calling thread when {@code pool} is null (a background compile).
     */
    public static MemorySegment of(NativeLinear kernel, MemorySegment w, int N, int K, WorkerPool pool) {
        synchronized (CACHE) {
            MemorySegment p = CACHE.get(w);
            if (p != null && p.byteSize() == kernel.packedBytes(N, K)) return p;
            MemorySegment dst = Arena.ofAuto().allocate(kernel.packedBytes(N, K), 64);
            int groups = NativeLinear.groups(N);
            if (pool != null) {
                pool.parallelFor(groups, Math.max(1, groups / (4 * pool.threads())), (g0, g1) -> kernel.pack(w, N, K, dst, g0, g1));
            } else {
                kernel.pack(w, N, K, dst, 0, groups);
            }
            CACHE.put(w, dst);
            return dst;
        }
    }
}
