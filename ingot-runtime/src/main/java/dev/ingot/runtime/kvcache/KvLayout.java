package dev.ingot.runtime.kvcache;

import dev.ingot.tensor.DType;

/**
 * The shape of the paged KV cache: per layer, K and V are arrays {@code [numBlocks][blockSize][nKvHeads][headDim]}
 * (row-major, headDim fastest) of {@code dtype}: F16 (llama.cpp's default; half the memory, so twice the
 * tokens in the same budget and half the bytes attention reads per step) or F32.
 *
 * @param numLayers transformer layers
 * @param nKvHeads  key/value heads (GQA: fewer than query heads)
 * @param headDim   elements per head
 * @param blockSize tokens per block (default {@value #DEFAULT_BLOCK_SIZE})
 * @param dtype     element type, F16 or F32
 */
public record KvLayout(int numLayers, int nKvHeads, int headDim, int blockSize, DType dtype) {
    public static final int DEFAULT_BLOCK_SIZE = 16;

    public KvLayout {
        if (numLayers <= 0 || nKvHeads <= 0 || headDim <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("KV layout dimensions must be > 0: " + numLayers + " layers, "
                    + nKvHeads + " kv heads, headDim " + headDim + ", block " + blockSize);
        }
        if (dtype != DType.F32 && dtype != DType.F16) throw new IllegalArgumentException("KV cache type must be f32 or f16, not " + dtype);
    }

    /** An F32 layout. */
    public KvLayout(int numLayers, int nKvHeads, int headDim, int blockSize) {
        this(numLayers, nKvHeads, headDim, blockSize, DType.F32);
    }

    /** Elements per token per layer for K (same for V): {@code nKvHeads * headDim}. */
    public long floatsPerToken() {
        return (long) nKvHeads * headDim;
    }

    /** Bytes of one element: 2 (F16) or 4 (F32). */
    public int elementBytes() {
        return dtype == DType.F16 ? 2 : 4;
    }

    /** Bytes one block occupies across all layers, K and V together. */
    public long bytesPerBlock() {
        return 2L * numLayers * blockSize * floatsPerToken() * elementBytes();
    }

    /** How many blocks fit in {@code bytes} (the {@code --kv-memory} budget); at least 1 is required. */
    public int blocksFor(long bytes) {
        long n = bytes / bytesPerBlock();
        if (n < 1) throw new IllegalArgumentException("KV memory " + bytes + " B holds no block of " + bytesPerBlock() + " B");
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
