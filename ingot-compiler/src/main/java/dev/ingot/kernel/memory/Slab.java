package dev.ingot.kernel.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A bump allocator over huge-page chunks ({@link HugePages}) for many long-lived copies of different sizes, such
 * as the packed weights of a model's tensors: whole 2 MiB pages per tensor would waste up to two thirds of a
 * 768 x 768 Q8_0 matrix. Each chunk lives in its own automatic arena: a slice keeps its chunk mapped, and the
 * chunk is unmapped once every slice of it is unreachable and it is no longer the chunk being filled.
 * Thread-safe.
 */
public final class Slab {
    private final long chunkBytes;
    private MemorySegment chunk = MemorySegment.NULL;
    private long used;

    /** @param chunkBytes size of each chunk; a request larger than half of it gets a chunk of its own */
    public Slab(long chunkBytes) {
        if (chunkBytes < HugePages.HUGE_PAGE) throw new IllegalArgumentException("chunk under one huge page: " + chunkBytes);
        this.chunkBytes = chunkBytes;
    }

    /** {@code bytes} of zeroed memory aligned to {@code align} (a power of two up to 4096). */
    public synchronized MemorySegment allocate(long bytes, long align) {
        if (bytes <= 0 || align <= 0 || align > 4096 || Long.bitCount(align) != 1) {
            throw new IllegalArgumentException("bytes " + bytes + ", align " + align);
        }
        if (bytes > chunkBytes / 2) return HugePages.allocate(Arena.ofAuto(), bytes);
        long at = chunk == MemorySegment.NULL ? Long.MAX_VALUE : alignedOffset(used, align);
        if (at > chunk.byteSize() - bytes) {
            chunk = HugePages.allocate(Arena.ofAuto(), chunkBytes);
            at = alignedOffset(0, align);
        }
        used = at + bytes;
        return chunk.asSlice(at, bytes);
    }

    /** The first offset at or after {@code off} whose address is a multiple of {@code align}. */
    private long alignedOffset(long off, long align) {
        long base = chunk.address();
        return ((base + off + align - 1) & -align) - base;
    }
}
