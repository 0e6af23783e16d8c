package dev.ingot.kernel.nativec;

import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;

/**
 * The fp32 scale tables the AMX kernels read beside the row-major weights ({@code float [groups][K/32][16]}, 4
 * bytes per 34-byte Q8_0 block): built once per weight on first use and shared by every program and call site,
 * keyed weakly by the weight segment like {@link PackedWeights}. The quants themselves are read in place.
 */
public final class AmxScales {
    private static final DerivedWeights TABLES = new DerivedWeights();

    private AmxScales() {}

    /** The table of {@code w} [N, K], built on first use with its row groups split over {@code pool}. */
    public static MemorySegment of(NativeLinear kernel, MemorySegment w, int N, int K, WorkerPool pool) {
        return TABLES.of(w, 4 * NativeLinear.amxScaleFloats(N, K), NativeLinear.groups(N), pool,
                (dst, g0, g1) -> kernel.amxScales(w, N, K, dst, g0, g1));
    }
}
