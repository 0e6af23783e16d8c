package dev.ingot.runtime.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlockPoolTest {
    private static BlockHash h(int i) {
        return BlockHash.of(BlockHash.ROOT, "", new int[] {i}, 0, 1);
    }

    @Test
    void allocatesInFreeQueueOrderAndFailsWhenExhausted() {
        BlockPool pool = new BlockPool(3);
        assertThat(new int[] {pool.allocate(), pool.allocate(), pool.allocate()}).containsExactly(0, 1, 2);
        assertThat(pool.stats()).isEqualTo(new BlockPoolStats(3, 0, 0, 3));
        assertThatThrownBy(pool::allocate).isInstanceOf(IllegalStateException.class).hasMessageContaining("exhausted");
        pool.checkInvariants();
    }

    @Test
    void releasedBlocksAreReusedLeastRecentlyFreedFirst() {
        BlockPool pool = new BlockPool(3);
        int a = pool.allocate(), b = pool.allocate(), c = pool.allocate();
        pool.release(b);
        pool.release(a);
        pool.release(c);
        assertThat(new int[] {pool.allocate(), pool.allocate(), pool.allocate()}).containsExactly(b, a, c);
    }

    @Test
    void freedCachedBlockStaysFindableUntilReallocated() {
        BlockPool pool = new BlockPool(2);
        int a = pool.allocate();
        assertThat(pool.cache(a, h(1))).isTrue();
        pool.release(a);
        assertThat(pool.stats()).isEqualTo(new BlockPoolStats(2, 2, 1, 0));
        assertThat(pool.lookup(h(1))).isEqualTo(a);

        pool.touch(a); // revive: out of the free queue, refcount 1, hash kept
        assertThat(pool.refCount(a)).isEqualTo(1);
        assertThat(pool.stats()).isEqualTo(new BlockPoolStats(2, 1, 0, 1));
        pool.release(a);

        int other = pool.allocate(); // block 1 was freed earlier (never used), so it goes first
        assertThat(other).isNotEqualTo(a);
        assertThat(pool.lookup(h(1))).isEqualTo(a);
        assertThat(pool.allocate()).isEqualTo(a); // eviction
        assertThat(pool.lookup(h(1))).isEqualTo(-1);
        assertThat(pool.hashOf(a)).isNull();
        pool.checkInvariants();
    }

    @Test
    void aHashBelongsToOneBlock() {
        BlockPool pool = new BlockPool(2);
        int a = pool.allocate(), b = pool.allocate();
        assertThat(pool.cache(a, h(7))).isTrue();
        assertThat(pool.cache(b, h(7))).isFalse();
        assertThat(pool.hashOf(b)).isNull();
        assertThat(pool.lookup(h(7))).isEqualTo(a);
        pool.release(b);
        assertThat(pool.stats().cachedEvictable()).isZero(); // b never became findable
        pool.checkInvariants();
    }

    @Test
    void releasingAFreeBlockIsAnError() {
        BlockPool pool = new BlockPool(1);
        int a = pool.allocate();
        pool.release(a);
        assertThatThrownBy(() -> pool.release(a)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void dropEvictableCacheForgetsOnlyFreeBlocks() {
        BlockPool pool = new BlockPool(2);
        int a = pool.allocate(), b = pool.allocate();
        pool.cache(a, h(1));
        pool.cache(b, h(2));
        pool.release(a);
        pool.dropEvictableCache();
        assertThat(pool.lookup(h(1))).isEqualTo(-1);
        assertThat(pool.lookup(h(2))).isEqualTo(b);
        pool.checkInvariants();
    }

    /** Random allocate / touch / release / cache against a plain model of refcounts; invariants every op. */
    @Property(tries = 200)
    void randomOperationsKeepInvariants(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int numBlocks) {
        Random r = new Random(seed);
        BlockPool pool = new BlockPool(numBlocks);
        int[] model = new int[numBlocks];
        List<Integer> held = new ArrayList<>(); // one entry per reference
        for (int op = 0; op < 300; op++) {
            int kind = r.nextInt(4);
            if (kind == 0 && pool.numFree() > 0) {
                int b = pool.allocate();
                assertThat(model[b]).as("allocated a referenced block, seed %d", seed).isZero();
                model[b] = 1;
                held.add(b);
            } else if (kind == 1 && !held.isEmpty()) {
                int b = held.remove(r.nextInt(held.size()));
                pool.release(b);
                model[b]--;
            } else if (kind == 2) {
                BlockHash hash = h(r.nextInt(6));
                int b = pool.lookup(hash);
                if (b >= 0) {
                    pool.touch(b);
                    model[b]++;
                    held.add(b);
                }
            } else if (kind == 3 && !held.isEmpty()) {
                pool.cache(held.get(r.nextInt(held.size())), h(r.nextInt(6)));
            }
            pool.checkInvariants();
            int free = 0;
            for (int b = 0; b < numBlocks; b++) {
                assertThat(pool.refCount(b)).as("block %d seed %d", b, seed).isEqualTo(model[b]);
                if (model[b] == 0) free++;
            }
            assertThat(pool.numFree()).isEqualTo(free);
        }
    }
}
