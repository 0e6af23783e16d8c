package dev.ingot.runtime.kvcache;

/**
 * The shape of the paged KV cache: per layer, K and V are float32 arrays
 * {@code [numBlocks][blockSize][nKvHeads][headDim]} (row-major, headDim fastest).
 *
 * @param numLayers transformer layers
 * @param nKvHeads  key/value heads (GQA: fewer than query heads)
 * @param headDim   elements per head
 * @param blockSize tokens per block (default {@value #DEFAULT_BLOCK_SIZE})
 */
public record KvLayout(int numLayers, int nKvHeads, int headDim, int blockSize) {
    public static final int DEFAULT_BLOCK_SIZE = 16;

    public KvLayout {
        if (numLayers <= 0 || nKvHeads <= 0 || headDim <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("KV layout dimensions must be > 0: " + numLayers + " layers, "
                    + nKvHeads + " kv heads, headDim " + headDim + ", block " + blockSize);
        }
    }

    /** Floats per token per layer for K (same for V): {@code nKvHeads * headDim}. */
    public long floatsPerToken() {
        return (long) nKvHeads * headDim;
    }

    /** Bytes one block occupies across all layers, K and V together. */
    public long bytesPerBlock() {
        return 2L * numLayers * blockSize * floatsPerToken() * Float.BYTES;
    }

    /** How many blocks fit in {@code bytes} (the {@code --kv-memory} budget); at least 1 is required. */
    public int blocksFor(long bytes) {
        long n = bytes / bytesPerBlock();
        if (n < 1) throw new IllegalArgumentException("KV memory " + bytes + " B holds no block of " + bytesPerBlock() + " B");
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
