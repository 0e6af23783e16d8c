package dev.ingot.runtime.kvcache;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A fixed set of KV block ids {@code [0, numBlocks)} with, per block, a reference count, an optional
 * {@link BlockHash} (prefix caching) and a position in the free queue. Every operation is O(1).
 *
 * <p>Invariants (checked by {@link #checkInvariants()}):
 * <ul>
 *   <li>a block is in the free queue iff its refcount is 0; the free queue holds {@link #numFree()} blocks;
 *   <li>the free queue is also the eviction order: {@link #allocate()} takes its head (least recently
 *       freed); {@link #release(int)} appends at the tail;
 *   <li>refcount 0 and hashed =&gt; the block is evictable: {@link #lookup(BlockHash)} still finds it and
 *       {@link #touch(int)} revives it (out of the free queue, refcount 1) until {@link #allocate()} takes
 *       it for reuse, which drops its hash (eviction);
 *   <li>{@code cached.get(h) == b} iff {@code hash[b] == h}: at most one block per hash, one hash per block.
 * </ul>
 * Not thread-safe: owned by the engine thread through {@link KvCacheManager}.
 */
public final class BlockPool {
    private static final int NIL = -1;

    private final int numBlocks;
    private final int[] refCount;
    private final BlockHash[] hash;
    // intrusive doubly linked free queue over block ids; NIL-terminated
    private final int[] prev;
    private final int[] next;
    private int head = NIL;
    private int tail = NIL;
    private int numFree;
    private int numCachedFree;
    private final Map<BlockHash, Integer> cached = new HashMap<>();

    public BlockPool(int numBlocks) {
        if (numBlocks <= 0) throw new IllegalArgumentException("numBlocks must be > 0: " + numBlocks);
        this.numBlocks = numBlocks;
        this.refCount = new int[numBlocks];
        this.hash = new BlockHash[numBlocks];
        this.prev = new int[numBlocks];
        this.next = new int[numBlocks];
        Arrays.fill(prev, NIL);
        Arrays.fill(next, NIL);
        for (int b = 0; b < numBlocks; b++) append(b);
    }

    public int numBlocks() {
        return numBlocks;
    }

    /** Blocks that {@link #allocate()} can hand out now (free, cached or not). */
    public int numFree() {
        return numFree;
    }

    public int refCount(int block) {
        return refCount[block];
    }

    /** The block's hash, or null if it is not (or no longer) in the prefix cache. */
    public BlockHash hashOf(int block) {
        return hash[block];
    }

    /**
     * Takes the least recently freed block, evicting its cached hash if it has one; refcount becomes 1.
     *
     * @throws IllegalStateException if no block is free (callers check {@link #numFree()} first)
     */
    public int allocate() {
        if (head == NIL) throw new IllegalStateException("block pool exhausted (" + numBlocks + " blocks)");
        int b = head;
        unlink(b);
        if (hash[b] != null) {
            cached.remove(hash[b]);
            hash[b] = null;
        }
        refCount[b] = 1;
        return b;
    }

    /** Adds a reference; a free block (necessarily a cached one being revived) leaves the free queue. */
    public void touch(int block) {
        if (refCount[block] == 0) unlink(block);
        refCount[block]++;
    }

    /** Drops a reference; at 0 the block goes to the tail of the free queue, keeping its hash. */
    public void release(int block) {
        if (refCount[block] <= 0) throw new IllegalStateException("release of free block " + block);
        if (--refCount[block] == 0) append(block);
    }

    /** The cached block with this hash (referenced or evictable), or -1. */
    public int lookup(BlockHash h) {
        Integer b = cached.get(h);
        return b == null ? -1 : b;
    }

    /**
     * Registers a used block's content hash. Returns false (and changes nothing) when another block
     * already holds this hash, e.g. two identical prompts computed in the same step: the first one stays
     * canonical and this block simply never becomes findable.
     */
    public boolean cache(int block, BlockHash h) {
        if (refCount[block] == 0) throw new IllegalStateException("caching free block " + block);
        if (hash[block] != null) return hash[block].equals(h);
        if (cached.putIfAbsent(h, block) != null) return false;
        hash[block] = h;
        return true;
    }

    /** Forgets every evictable cached block (e.g. after weights change); referenced blocks keep their hash. */
    public void dropEvictableCache() {
        for (int b = head; b != NIL; b = next[b]) {
            if (hash[b] != null) {
                cached.remove(hash[b]);
                hash[b] = null;
                numCachedFree--;
            }
        }
    }

    public BlockPoolStats stats() {
        return new BlockPoolStats(numBlocks, numFree, numCachedFree, numBlocks - numFree);
    }

    private void append(int b) {
        prev[b] = tail;
        next[b] = NIL;
        if (tail == NIL) head = b; else next[tail] = b;
        tail = b;
        numFree++;
        if (hash[b] != null) numCachedFree++;
    }

    private void unlink(int b) {
        if (prev[b] == NIL) head = next[b]; else next[prev[b]] = next[b];
        if (next[b] == NIL) tail = prev[b]; else prev[next[b]] = prev[b];
        prev[b] = NIL;
        next[b] = NIL;
        numFree--;
        if (hash[b] != null) numCachedFree--;
    }

    /** Verifies the class invariants in O(numBlocks); for tests and debug builds. */
    public void checkInvariants() {
        boolean[] inQueue = new boolean[numBlocks];
        int count = 0, cachedFree = 0, last = NIL;
        for (int b = head; b != NIL; b = next[b]) {
            if (inQueue[b]) throw new IllegalStateException("free queue cycle at block " + b);
            if (prev[b] != last) throw new IllegalStateException("broken prev link at block " + b);
            inQueue[b] = true;
            count++;
            if (hash[b] != null) cachedFree++;
            last = b;
        }
        if (last != tail) throw new IllegalStateException("tail " + tail + " != last " + last);
        if (count != numFree) throw new IllegalStateException("free queue " + count + " != numFree " + numFree);
        if (cachedFree != numCachedFree) throw new IllegalStateException("cached free count mismatch");
        for (int b = 0; b < numBlocks; b++) {
            if (refCount[b] < 0) throw new IllegalStateException("negative refcount at block " + b);
            if (inQueue[b] != (refCount[b] == 0)) {
                throw new IllegalStateException("block " + b + " refcount " + refCount[b] + " but inQueue=" + inQueue[b]);
            }
            if (hash[b] != null && cached.get(hash[b]) != b) throw new IllegalStateException("hash map mismatch at " + b);
        }
        for (var e : cached.entrySet()) {
            if (!e.getKey().equals(hash[e.getValue()])) throw new IllegalStateException("stale cache entry " + e);
        }
    }
}
