package dev.ingot.kernel.nativec;

import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The fp32 scale tables the AMX kernels read beside the row-major weights ({@code float [groups][K/32][16]}, 4
 * bytes per 34-byte Q8_0 block): built once per weight on first use and shared by every program and call site,
 * keyed weakly by the weight segment like {@link PackedWeights}. The quants themselves are read in place.
 */
public final class AmxScales {
    private static final Map<MemorySegment, MemorySegment> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private AmxScales() {}

    /** The table of {@code w} [N, K], built on first use with its row groups split over {@code pool}. */
    public static MemorySegment of(NativeLinear kernel, MemorySegment w, int N, int K, WorkerPool pool) {
        synchronized (CACHE) {
            MemorySegment t = CACHE.get(w);
            if (t != null && t.byteSize() == 4 * NativeLinear.amxScaleFloats(N, K)) return t;
            MemorySegment dst = Arena.ofAuto().allocate(4 * NativeLinear.amxScaleFloats(N, K), 64);
            int groups = NativeLinear.groups(N);
            pool.parallelFor(groups, Math.max(1, groups / (4 * pool.threads())), (g0, g1) -> kernel.amxScales(w, N, K, dst, g0, g1));
            CACHE.put(w, dst);
            return dst;
        }
    }
}
