package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Writes memory back and drops it from every cache level ({@code clflush} per 64-byte line, then a fence), so a
 * kernel timed next reads it from DRAM as a whole model's weights are read: each layer's weights stream from
 * memory once per step, while a kernel called again and again on one matrix finds it in cache. The tuner times
 * memory-bound (decode) linear shapes this way; in cache they reward splits that lose in the model.
 */
public final class CacheFlush {
    static final String SYMBOL = "ingot_flush";
    static final String SOURCE = """
            /* Ingot cache flush (dev.ingot.kernel.nativec.CacheFlush): every 64-byte line of [p, p + bytes). */
            #include <stdint.h>
            #if defined(__x86_64__)
            #include <immintrin.h>
            void ingot_flush(const char *p, int64_t bytes) {
                for (int64_t o = 0; o < bytes; o += 64) _mm_clflush(p + o);
                _mm_mfence();
            }
            #else
            void ingot_flush(const char *p, int64_t bytes) { (void) p; (void) bytes; }
            #endif
            """;

    private final MethodHandle fn;

    CacheFlush(Path library) {
        this.fn = Linker.nativeLinker().downcallHandle(SymbolLookup.libraryLookup(library, Arena.global()).find(SYMBOL)
                .orElseThrow(() -> new IllegalStateException(library + " lacks " + SYMBOL)), FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
    }

    /** Flushes every line of {@code seg} (off-heap) from the caches. */
    public void flush(MemorySegment seg) {
        if (!seg.isNative()) return;
        try {
            fn.invokeExact(seg, seg.byteSize());
        } catch (Throwable e) {
            throw new IllegalStateException("cache flush failed", e);
        }
    }
}
