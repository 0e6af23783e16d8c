package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The packed ("x16") copies of weights that the native kernels read, made once per weight and shared by every
 * program (shape bucket) and call site using it. Keys are the weight segments themselves, held weakly: the
 * packed copy (off-heap, {@link Arena#ofAuto()}) is freed once the model that owns the weights is gone.
 * The row-major original is not read again after packing, so its mapped pages cost nothing but page cache.
 *
 * <p>Packed copies are 2 MiB-aligned and advised as transparent huge pages before first touch (Linux, where
 * THP is "madvise"): decode streams every weight byte per token, and 4 KiB pages would cost ~300,000 page faults
 * at start-up and a TLB miss every 4 KiB while streaming. Elsewhere, or if a call fails, a plain allocation.
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
            MemorySegment dst = allocate(kernel.packedBytes(N, K));
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

    private static final long HUGE = 2L << 20;
    private static final int MADV_HUGEPAGE = 14;
    private static final boolean HUGE_PAGES = Boolean.getBoolean("ingot.hugepages");
    private static final MethodHandle ALIGNED_ALLOC, FREE, MADVISE;

    static {
        MethodHandle a = null, f = null, m = null;
        try {
            if (System.getProperty("os.name", "").startsWith("Linux")) {
                Linker l = Linker.nativeLinker();
                a = l.downcallHandle(l.defaultLookup().find("aligned_alloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
                f = l.downcallHandle(l.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
                m = l.downcallHandle(l.defaultLookup().find("madvise").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
            }
        } catch (RuntimeException e) {
            a = f = m = null;
        }
        ALIGNED_ALLOC = a;
        FREE = f;
        MADVISE = m;
    }

    /** {@code bytes} of off-heap memory freed when unreachable; huge-page backed where possible (not zeroed). */
    static MemorySegment allocate(long bytes) {
        if (ALIGNED_ALLOC != null && bytes >= HUGE) {
            try {
                long size = (bytes + HUGE - 1) / HUGE * HUGE;
                MemorySegment p = (MemorySegment) ALIGNED_ALLOC.invokeExact(HUGE, size);
                if (!p.equals(MemorySegment.NULL)) {
                    if (HUGE_PAGES) { int rc = (int) MADVISE.invokeExact(p, size, MADV_HUGEPAGE); } // advisory
                    return p.reinterpret(bytes, Arena.ofAuto(), PackedWeights::free);
                }
            } catch (Throwable e) {
                // fall through to a plain allocation
            }
        }
        return Arena.ofAuto().allocate(bytes, 64);
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable e) {
            throw new IllegalStateException("free failed", e);
        }
    }
}
