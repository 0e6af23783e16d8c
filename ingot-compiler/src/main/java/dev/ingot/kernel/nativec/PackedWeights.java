package dev.ingot.kernel.nativec;

import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The packed ("x16") copies of weights that the native kernels read, made once per weight and shared by every
 * program (shape bucket) and call site using it. Keys are the weight segments themselves, held weakly: the
 * packed copy (off-heap, {@link Arena#ofAuto()}) is freed once the model that owns the weights is gone.
 * The row-major original is not read again after packing, so its mapped pages cost nothing but page cache.
 * Packing happens in tier-1 compiles on a background thread (see the runtime's tiered programs), so its cost
 * (~1 s for a 1B model) is off the start-up path.
 */
public final class PackedWeights {
    private static final DerivedWeights PACKED = new DerivedWeights();

    private PackedWeights() {}

    /**
     * The packed form of {@code w} [N, K] for {@code kernel}, packing it on first use: row groups split over
     * {@code pool}, or on the calling thread when {@code pool} is null (a background compile).
     */
    public static MemorySegment of(NativeLinear kernel, MemorySegment w, int N, int K, WorkerPool pool) {
        return PACKED.of(w, kernel.packedBytes(N, K), NativeLinear.groups(N), pool, (dst, g0, g1) -> kernel.pack(w, N, K, dst, g0, g1));
    }
}
