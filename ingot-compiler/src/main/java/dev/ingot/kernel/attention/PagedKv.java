package dev.ingot.kernel.attention;

import java.lang.foreign.MemorySegment;

/**
 * One layer's paged KV cache as the attention kernels read it: K and V pools, each
 * [numBlocks][blockSize][nKvHeads][headDim] float32 little-endian in an off-heap segment (the runtime's
 * block pool). Position p of a sequence with block table {@code bt} lives in block {@code bt[p / blockSize]},
 * slot {@code p % blockSize}.
 */
public record PagedKv(MemorySegment k, MemorySegment v, int blockSize, int nKvHeads, int headDim) {
    /** Byte offset of (block, slot, kvHead, 0) in either pool. */
    public long offset(int block, int slot, int kvHead) {
        return (((long) block * blockSize + slot) * nKvHeads + kvHead) * headDim * 4L;
    }
}
