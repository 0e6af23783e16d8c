package dev.ingot.runtime.kvcache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-sequence block tables over one {@link BlockPool}, with prefix caching and copy-on-write.
 *
 * <p>A sequence's block table maps token position {@code p} to slot
 * {@code table[p / blockSize] * blockSize + p % blockSize}. Invariants (checked by
 * {@link #checkInvariants()}):
 * <ul>
 *   <li>every block's refcount equals the number of block-table entries referring to it; no block is
 *       both free and referenced;
 *   <li>tables are append-only except for copy-on-write, which replaces the partial last block;
 *   <li>only full blocks are hashed, and a full block is never written again, so a block shared through
 *       the prefix cache never needs copying; the only shared block that is ever written is the partial
 *       last block shared by {@link #fork}, and {@link #allocateSlots} copies it first when its refcount
 *       is &gt; 1 (the last writer, at refcount 1, writes in place);
 *   <li>a block is offered to the prefix cache ({@link #cacheFullBlocks}) only after its K/V has been
 *       computed, so a cache hit never reads a block that is still being written.
 * </ul>
 * Not thread-safe: the engine thread owns it.
 */
public final class KvCacheManager {
    private final BlockPool pool;
    private final int blockSize;
    private final boolean prefixCaching;
    private final Map<Long, Table> tables = new HashMap<>();
    private long queries;
    private long hits;

    /** One sequence's blocks; {@code blocks[0, numOffered)} were already offered to the prefix cache. */
    private static final class Table {
        int[] blocks = new int[8];
        int size;
        int numOffered;

        void add(int b) {
            if (size == blocks.length) blocks = Arrays.copyOf(blocks, size * 2);
            blocks[size++] = b;
        }
    }

    public KvCacheManager(BlockPool pool, int blockSize, boolean prefixCaching) {
        if (blockSize <= 0) throw new IllegalArgumentException("blockSize must be > 0: " + blockSize);
        this.pool = pool;
        this.blockSize = blockSize;
        this.prefixCaching = prefixCaching;
    }

    public BlockPool pool() {
        return pool;
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean prefixCaching() {
        return prefixCaching;
    }

    /**
     * The longest run of cached full blocks at the start of {@code tokens[0, numTokens)}, never covering
     * the last token (it must be computed to produce logits). Hashes are memoised in {@code chain}.
     */
    public CachedPrefix findCachedPrefix(BlockHashChain chain, int[] tokens, int numTokens) {
        if (!prefixCaching || numTokens <= 1) return new CachedPrefix(new int[0], 0, numTokens);
        int maxBlocks = (numTokens - 1) / blockSize;
        chain.extend(tokens, maxBlocks * blockSize);
        int[] found = new int[maxBlocks];
        int n = 0;
        while (n < maxBlocks) {
            int b = pool.lookup(chain.get(n));
            if (b < 0) break;
            found[n++] = b;
        }
        return new CachedPrefix(Arrays.copyOf(found, n), n * blockSize, numTokens);
    }

    /**
     * Makes room for {@code numNewTokens} more tokens of sequence {@code seqId}, whose first
     * {@code numComputedTokens} already have KV. The first call for a sequence creates its table from
     * {@code prefix} (then {@code numComputedTokens == prefix.numTokens()}); later calls pass
     * {@link CachedPrefix#NONE}.
     *
     * @return the blocks appended and any copy-on-write orders, or null when the pool lacks room; null
     *     leaves every table, refcount and the free queue exactly as they were
     */
    public Allocation allocateSlots(long seqId, int numComputedTokens, int numNewTokens, CachedPrefix prefix) {
        Table t = tables.get(seqId);
        int have = t == null ? prefix.numBlocks() : t.size;
        if (t == null && numComputedTokens != prefix.numTokens()) {
            throw new IllegalArgumentException("new sequence " + seqId + ": computed " + numComputedTokens
                    + " != cached prefix " + prefix.numTokens());
        }
        if (t != null && prefix.numBlocks() > 0) throw new IllegalArgumentException("sequence " + seqId + " already has a table");
        if (ceilDiv(numComputedTokens, blockSize) != have) {
            throw new IllegalStateException("sequence " + seqId + " has " + have + " blocks for " + numComputedTokens + " tokens");
        }
        int needTotal = ceilDiv(numComputedTokens + numNewTokens, blockSize);
        int append = Math.max(0, needTotal - have);
        // a write into a partial last block that others share needs a private copy first
        boolean cow = t != null && numNewTokens > 0 && numComputedTokens % blockSize != 0
                && pool.refCount(t.blocks[numComputedTokens / blockSize]) > 1;
        int revive = 0;
        for (int b : prefix.blockIds()) if (pool.refCount(b) == 0) revive++;
        if (append + (cow ? 1 : 0) + revive > pool.numFree()) return null;

        if (t == null) {
            t = new Table();
            // touch cached blocks before allocating so an allocation cannot evict them
            for (int b : prefix.blockIds()) {
                pool.touch(b);
                t.add(b);
            }
            t.numOffered = prefix.numBlocks();
            tables.put(seqId, t);
            queries += prefix.queriedTokens();
            hits += prefix.numTokens();
        }
        List<BlockCopy> copies = List.of();
        if (cow) {
            int idx = numComputedTokens / blockSize;
            int shared = t.blocks[idx];
            int own = pool.allocate();
            pool.release(shared); // refcount was > 1, so it stays referenced by the other sequences
            t.blocks[idx] = own;
            copies = List.of(new BlockCopy(shared, own));
        }
        int[] fresh = new int[append];
        for (int i = 0; i < append; i++) {
            fresh[i] = pool.allocate();
            t.add(fresh[i]);
        }
        return new Allocation(fresh, copies);
    }

    /**
     * Offers the sequence's full blocks within its first {@code numComputedTokens} (whose K/V is now
     * written) to the prefix cache. A block whose hash another block already holds stays unhashed.
     */
    public void cacheFullBlocks(long seqId, BlockHashChain chain, int[] tokens, int numComputedTokens) {
        Table t = tables.get(seqId);
        if (!prefixCaching || t == null) return;
        int full = Math.min(numComputedTokens / blockSize, t.size);
        if (full <= t.numOffered) return;
        chain.extend(tokens, full * blockSize);
        for (int i = t.numOffered; i < full; i++) pool.cache(t.blocks[i], chain.get(i));
        t.numOffered = full;
    }

    /** Gives {@code child} the same blocks as {@code parent} (refcounts + 1); see copy-on-write above. */
    public void fork(long parentSeqId, long childSeqId) {
        Table p = tables.get(parentSeqId);
        if (p == null) throw new IllegalArgumentException("unknown sequence " + parentSeqId);
        if (tables.containsKey(childSeqId)) throw new IllegalArgumentException("sequence exists: " + childSeqId);
        Table c = new Table();
        for (int i = 0; i < p.size; i++) {
            pool.touch(p.blocks[i]);
            c.add(p.blocks[i]);
        }
        c.numOffered = p.numOffered;
        tables.put(childSeqId, c);
    }

    /**
     * Drops the sequence's table; a no-op for a sequence without one. Blocks are released last-first so
     * that, among equally old blocks, a sequence's tail (least likely to be shared) is evicted first.
     */
    public void free(long seqId) {
        Table t = tables.remove(seqId);
        if (t == null) return;
        for (int i = t.size - 1; i >= 0; i--) pool.release(t.blocks[i]);
    }

    public boolean hasTable(long seqId) {
        return tables.containsKey(seqId);
    }

    /** A copy of the sequence's block table (empty if it has none). */
    public int[] blockTable(long seqId) {
        Table t = tables.get(seqId);
        return t == null ? new int[0] : Arrays.copyOf(t.blocks, t.size);
    }

    public int numSequences() {
        return tables.size();
    }

    public PrefixCacheStats prefixStats() {
        return new PrefixCacheStats(queries, hits);
    }

    /** Refcounts equal table references; plus the pool's own invariants. O(blocks + references). */
    public void checkInvariants() {
        pool.checkInvariants();
        int[] refs = new int[pool.numBlocks()];
        for (var e : tables.entrySet()) {
            Table t = e.getValue();
            for (int i = 0; i < t.size; i++) refs[t.blocks[i]]++;
        }
        for (int b = 0; b < refs.length; b++) {
            if (refs[b] != pool.refCount(b)) {
                throw new IllegalStateException("block " + b + ": refcount " + pool.refCount(b) + " but " + refs[b] + " table references");
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** For diagnostics: every sequence's table. */
    @Override
    public String toString() {
        List<String> rows = new ArrayList<>();
        tables.forEach((id, t) -> rows.add(id + "=" + Arrays.toString(Arrays.copyOf(t.blocks, t.size))));
        return "KvCacheManager" + rows + " " + pool.stats();
    }
}
