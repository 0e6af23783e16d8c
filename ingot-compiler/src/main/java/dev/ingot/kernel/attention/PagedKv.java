package dev.ingot.kernel.attention;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One layer's paged KV cache as the attention kernels read it: K and V pools, each
 * [numBlocks][blockSize][nKvHeads][headDim] little-endian float32, or IEEE half when {@code f16} (llama.cpp's
 * default KV type: half the bytes per step, which is what decode attention is bound by), in an off-heap segment
 * (the runtime's block pool). Position p of a sequence with block table {@code bt} lives in block
 * {@code bt[p / blockSize]}, slot {@code p % blockSize}.
 */
public record PagedKv(MemorySegment k, MemorySegment v, int blockSize, int nKvHeads, int headDim, boolean f16) {
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** An F32 cache. */
    public PagedKv(MemorySegment k, MemorySegment v, int blockSize, int nKvHeads, int headDim) {
        this(k, v, blockSize, nKvHeads, headDim, false);
    }

    /** Bytes of one element: 2 (f16) or 4. */
    public int elementBytes() { return f16 ? 2 : 4; }

    /** Byte offset of (block, slot, kvHead, 0) in either pool. */
    public long offset(int block, int slot, int kvHead) {
        return (((long) block * blockSize + slot) * nKvHeads + kvHead) * headDim * elementBytes();
    }

    /** Element i of the row at byte offset {@code rowOffset} of {@code pool} (k or v), as a float. */
    public float get(MemorySegment pool, long rowOffset, int i) {
        return f16 ? Float.float16ToFloat(pool.get(HALF, rowOffset + 2L * i))
                : pool.get(ValueLayout.JAVA_FLOAT_UNALIGNED, rowOffset + 4L * i);
    }

    /** Elements [0, n) of the row at {@code rowOffset} into {@code dst[off..]} (the JVM kernels' f16 path). */
    public void load(MemorySegment pool, long rowOffset, float[] dst, int off, int n) {
        if (!f16) {
            MemorySegment.copy(pool, ValueLayout.JAVA_FLOAT_UNALIGNED, rowOffset, dst, off, n);
            return;
        }
        for (int i = 0; i < n; i++) dst[off + i] = Float.float16ToFloat(pool.get(HALF, rowOffset + 2L * i));
    }
}
