package dev.ingot.runtime.kvcache;

import java.util.ArrayList;
import java.util.List;

/**
 * The block hashes of one growing token stream, extended incrementally (a sequence's tokens are
 * append-only, so hash {@code i} never changes once computed). Owned by the sequence, read by
 * {@link KvCacheManager}. Hash {@code i} covers tokens {@code [i * blockSize, (i + 1) * blockSize)}.
 */
public final class BlockHashChain {
    private final String extraKey;
    private final int blockSize;
    private final List<BlockHash> hashes = new ArrayList<>();

    public BlockHashChain(String extraKey, int blockSize) {
        if (blockSize <= 0) throw new IllegalArgumentException("blockSize must be > 0: " + blockSize);
        this.extraKey = extraKey;
        this.blockSize = blockSize;
    }

    /** Hashes every full block within the first {@code numTokens} of {@code tokens} not hashed yet. */
    public void extend(int[] tokens, int numTokens) {
        int full = numTokens / blockSize;
        for (int i = hashes.size(); i < full; i++) {
            BlockHash parent = i == 0 ? BlockHash.ROOT : hashes.get(i - 1);
            hashes.add(BlockHash.of(parent, extraKey, tokens, i * blockSize, blockSize));
        }
    }

    public BlockHash get(int blockIndex) {
        return hashes.get(blockIndex);
    }

    /** Number of full blocks hashed so far. */
    public int size() {
        return hashes.size();
    }

    public String extraKey() {
        return extraKey;
    }

    /** A copy sharing the already computed hashes (for a forked sequence with the same prefix). */
    public BlockHashChain copy() {
        BlockHashChain c = new BlockHashChain(extraKey, blockSize);
        c.hashes.addAll(hashes);
        return c;
    }
}
