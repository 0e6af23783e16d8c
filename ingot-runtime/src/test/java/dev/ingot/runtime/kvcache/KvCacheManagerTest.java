package dev.ingot.runtime.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvCacheManagerTest {
    private static final int BS = 4;

    private static int[] tokens(int from, int n) {
        return IntStream.range(from, from + n).toArray();
    }

    /** Allocates and "computes" a whole stream for {@code seq}, then offers its full blocks to the cache. */
    private static CachedPrefix admit(KvCacheManager m, long seq, int[] toks) {
        BlockHashChain chain = new BlockHashChain("", BS);
        CachedPrefix p = m.findCachedPrefix(chain, toks, toks.length);
        assertThat(m.allocateSlots(seq, p.numTokens(), toks.length - p.numTokens(), p)).isNotNull();
        m.cacheFullBlocks(seq, chain, toks, toks.length);
        m.checkInvariants();
        return p;
    }

    @Test
    void identicalPrefixesShareFullBlocks() {
        KvCacheManager m = new KvCacheManager(new BlockPool(10), BS, true);
        int[] a = tokens(0, 10);
        admit(m, 1, a);
        int[] b = a.clone();
        b[9] = 99; // same first 2 full blocks, different tail
        CachedPrefix p = admit(m, 2, b);
        assertThat(p.numTokens()).isEqualTo(8);
        int[] ta = m.blockTable(1), tb = m.blockTable(2);
        assertThat(tb[0]).isEqualTo(ta[0]);
        assertThat(tb[1]).isEqualTo(ta[1]);
        assertThat(tb[2]).isNotEqualTo(ta[2]);
        assertThat(m.pool().refCount(ta[0])).isEqualTo(2);
        assertThat(m.pool().refCount(ta[2])).isEqualTo(1);
        assertThat(m.prefixStats()).isEqualTo(new PrefixCacheStats(20, 8));
    }

    @Test
    void neverReturnsTheWholePrompt() {
        KvCacheManager m = new KvCacheManager(new BlockPool(10), BS, true);
        int[] a = tokens(0, 8); // exactly two full blocks
        admit(m, 1, a);
        CachedPrefix p = m.findCachedPrefix(new BlockHashChain("", BS), a, a.length);
        assertThat(p.numTokens()).isEqualTo(4); // the last token must be computed for logits
    }

    @Test
    void extraKeySeparatesCaches() {
        KvCacheManager m = new KvCacheManager(new BlockPool(10), BS, true);
        int[] a = tokens(0, 9);
        admit(m, 1, a);
        assertThat(m.findCachedPrefix(new BlockHashChain("lora-7", BS), a, a.length).numTokens()).isZero();
        assertThat(m.findCachedPrefix(new BlockHashChain("", BS), a, a.length).numTokens()).isEqualTo(8);
    }

    @Test
    void freedBlocksStayCachedAndAreRevivedWithoutBeingEvicted() {
        KvCacheManager m = new KvCacheManager(new BlockPool(3), BS, true);
        int[] a = tokens(0, 9); // 3 blocks: the whole pool
        admit(m, 1, a);
        int[] table = m.blockTable(1);
        m.free(1);
        assertThat(m.pool().stats()).isEqualTo(new BlockPoolStats(3, 3, 2, 0));
        // the same prompt again: 2 cached blocks are revived; the third allocation must not evict them
        CachedPrefix p = admit(m, 2, a);
        assertThat(p.blockIds()).containsExactly(table[0], table[1]);
        assertThat(m.blockTable(2)).hasSize(3);
        assertThat(m.pool().stats().used()).isEqualTo(3);
    }

    @Test
    void failedAllocationHasNoSideEffects() {
        KvCacheManager m = new KvCacheManager(new BlockPool(4), BS, true);
        int[] a = tokens(0, 9);
        admit(m, 1, a); // 3 blocks used, 2 of them cached
        m.free(1);
        admit(m, 2, tokens(100, 4)); // takes the never-used block 3; free: 1 plain + 2 cached
        BlockPoolStats before = m.pool().stats();
        int[] t2 = m.blockTable(2);
        // a 16-token sequence reusing 2 cached blocks needs 2 more: only 1 other block is free
        int[] longer = tokens(0, 16);
        BlockHashChain chain = new BlockHashChain("", BS);
        CachedPrefix p = m.findCachedPrefix(chain, longer, longer.length);
        assertThat(p.numBlocks()).isEqualTo(2);
        assertThat(m.allocateSlots(3, p.numTokens(), 8, p)).isNull();
        assertThat(m.pool().stats()).isEqualTo(before);
        assertThat(m.hasTable(3)).isFalse();
        assertThat(m.blockTable(2)).containsExactly(t2);
        assertThat(m.prefixStats().queries()).isEqualTo(9 + 4); // the failed attempt counts nothing
        m.checkInvariants();
    }

    @Test
    void forkSharesBlocksAndCopiesThePartialLastBlockOnWrite() {
        KvCacheManager m = new KvCacheManager(new BlockPool(10), BS, true);
        int[] a = tokens(0, 6); // one full block + a partial one (2 of 4)
        admit(m, 1, a);
        m.fork(1, 2);
        m.fork(1, 3);
        int[] shared = m.blockTable(1);
        assertThat(m.pool().refCount(shared[1])).isEqualTo(3);
        m.checkInvariants();

        // each sample writes its token at position 6, inside the shared partial block
        Allocation a1 = m.allocateSlots(1, 6, 1, CachedPrefix.NONE);
        assertThat(a1.copies()).containsExactly(new BlockCopy(shared[1], m.blockTable(1)[1]));
        assertThat(a1.newBlockIds()).isEmpty();
        Allocation a2 = m.allocateSlots(2, 6, 1, CachedPrefix.NONE);
        assertThat(a2.copies()).hasSize(1);
        Allocation a3 = m.allocateSlots(3, 6, 1, CachedPrefix.NONE); // the last writer keeps the original
        assertThat(a3.copies()).isEmpty();
        assertThat(m.blockTable(3)).containsExactly(shared);
        assertThat(m.pool().refCount(shared[0])).isEqualTo(3); // full blocks stay shared
        assertThat(m.blockTable(1)[1]).isNotEqualTo(m.blockTable(2)[1]);
        m.checkInvariants();
        m.free(1);
        m.free(2);
        m.free(3);
        assertThat(m.pool().stats().free()).isEqualTo(10);
        m.checkInvariants();
    }

    @Test
    void forkAtABlockBoundaryNeedsNoCopy() {
        KvCacheManager m = new KvCacheManager(new BlockPool(10), BS, false);
        admit(m, 1, tokens(0, 8));
        m.fork(1, 2);
        Allocation a = m.allocateSlots(2, 8, 1, CachedPrefix.NONE);
        assertThat(a.copies()).isEmpty();
        assertThat(a.newBlockIds()).hasSize(1);
        assertThat(m.prefixStats().hits()).isZero(); // prefix caching off: nothing found, nothing hashed
        assertThat(m.pool().stats().cachedEvictable()).isZero();
    }
}
