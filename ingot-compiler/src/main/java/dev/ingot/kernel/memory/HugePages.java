package dev.ingot.kernel.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Zero-filled regions from {@code mmap}, 2 MiB aligned and advised {@code MADV_HUGEPAGE} on Linux, so a kernel
 * streaming them walks one TLB entry per 2 MiB (with THP in "madvise" mode, the common default, memory is only
 * huge where advised). The region is unmapped when its arena closes. Without {@code mmap} (another OS, no
 * native access) or with {@code -Dingot.hugepages=false}, an ordinary 64-byte aligned arena allocation.
 */
public final class HugePages {
    private static final System.Logger LOG = System.getLogger(HugePages.class.getName());
    /** The transparent huge page size on x86-64 and (4 KiB-granule) aarch64. */
    public static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20, MADV_HUGEPAGE = 14, MADV_POPULATE_WRITE = 23;
    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        MethodHandle mmap = null, munmap = null, madvise = null;
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && !"false".equals(System.getProperty("ingot.hugepages"))) {
            try {
                Linker l = Linker.nativeLinker();
                SymbolLookup libc = l.defaultLookup();
                Optional<MemorySegment> a = libc.find("mmap"), b = libc.find("munmap"), c = libc.find("madvise");
                if (a.isPresent() && b.isPresent() && c.isPresent()) {
                    mmap = l.downcallHandle(a.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                    munmap = l.downcallHandle(b.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                    madvise = l.downcallHandle(c.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                }
            } catch (RuntimeException | LinkageError e) { // no native access: plain arena memory
                LOG.log(System.Logger.Level.DEBUG, "huge pages unavailable: " + e);
                mmap = munmap = madvise = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    private HugePages() {}

    /** Whether {@link #allocate} maps huge-page-advised regions here. */
    public static boolean enabled() {
        return MMAP != null;
    }

    /**
     * {@code bytes} of zeroed memory living as long as {@code arena}: with huge pages, a mapping rounded up to
     * whole 2 MiB pages (so callers should ask for large regions and slice them, see {@link Slab}). Pages are
     * faulted in on first write.
     */
    public static MemorySegment allocate(Arena arena, long bytes) {
        return allocate(arena, bytes, false);
    }

    /**
     * As {@link #allocate(Arena, long)}, with {@code populate} faulting every page in now: for memory written a
     * little at a time later (the KV cache), where a first write would otherwise zero (and perhaps compact for)
     * a 2 MiB page in the middle of a step.
     */
    public static MemorySegment allocate(Arena arena, long bytes, boolean populate) {
        if (bytes <= 0) throw new IllegalArgumentException("bytes must be > 0: " + bytes);
        if (MMAP == null) return arena.allocate(bytes, 64);
        long len = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
        long base;
        try {
            // over-map by one huge page and trim, so the region starts on a 2 MiB boundary
            base = (long) MMAP.invokeExact(0L, len + HUGE_PAGE, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (base == -1L) return arena.allocate(bytes, 64); // MAP_FAILED: let the arena report a real shortage
            long start = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
            if (start > base) unmap(base, start - base);
            long tail = base + len + HUGE_PAGE - (start + len);
            if (tail > 0) unmap(start + len, tail);
            int rc = (int) MADVISE.invokeExact(start, len, MADV_HUGEPAGE);
            if (rc != 0) LOG.log(System.Logger.Level.DEBUG, "madvise(MADV_HUGEPAGE) failed; 4 KiB pages");
            if (populate && (int) MADVISE.invokeExact(start, len, MADV_POPULATE_WRITE) != 0) { // before Linux 5.14
                MemorySegment m = MemorySegment.ofAddress(start).reinterpret(len);
                for (long off = 0; off < len; off += 4096) m.set(ValueLayout.JAVA_BYTE, off, (byte) 0);
            }
            base = start;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        final long start = base;
        return MemorySegment.ofAddress(start).reinterpret(len, arena, s -> unmap(start, len)).asSlice(0, bytes);
    }

    private static void unmap(long addr, long len) {
        try {
            int rc = (int) MUNMAP.invokeExact(addr, len);
            if (rc != 0) LOG.log(System.Logger.Level.WARNING, "munmap failed for " + len + " bytes");
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
