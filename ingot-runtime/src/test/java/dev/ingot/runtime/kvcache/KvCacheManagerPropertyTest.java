package dev.ingot.runtime.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random admit / grow / fork / free sequences against the manager, with a shadow "KV" per slot (the
 * token written there) checked through every block table after every operation: copy-on-write and
 * prefix sharing must never let one sequence see another's different tokens.
 */
class KvCacheManagerPropertyTest {
    private static final class Seq {
        final List<Integer> tokens = new ArrayList<>();
        final BlockHashChain chain;
        int computed;

        Seq(BlockHashChain chain) {
            this.chain = chain;
        }

        int[] array() {
            return tokens.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Property(tries = 150)
    void tablesAlwaysHoldEachSequencesOwnTokens(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int blockSize,
                                                @ForAll @IntRange(min = 4, max = 40) int numBlocks) {
        Random r = new Random(seed);
        KvCacheManager m = new KvCacheManager(new BlockPool(numBlocks), blockSize, true);
        int[] kv = new int[numBlocks * blockSize];
        Map<Long, Seq> seqs = new HashMap<>();
        long nextId = 0;
        for (int op = 0; op < 200; op++) {
            int kind = r.nextInt(10);
            if (kind < 2) { // admit a new sequence from a small alphabet (so prefixes repeat)
                Seq s = new Seq(new BlockHashChain("", blockSize));
                for (int i = 1 + r.nextInt(3 * blockSize); i > 0; i--) s.tokens.add(r.nextInt(2));
                int[] t = s.array();
                CachedPrefix p = m.findCachedPrefix(s.chain, t, t.length);
                long id = nextId++;
                if (m.allocateSlots(id, p.numTokens(), t.length - p.numTokens(), p) != null) {
                    s.computed = p.numTokens();
                    write(m, kv, blockSize, id, s, t.length, List.of());
                    seqs.put(id, s);
                }
            } else if (kind < 6 && !seqs.isEmpty()) { // append 1..blockSize tokens
                long id = pick(r, seqs);
                Seq s = seqs.get(id);
                int add = 1 + r.nextInt(blockSize);
                for (int i = 0; i < add; i++) s.tokens.add(r.nextInt(2));
                Allocation a = m.allocateSlots(id, s.computed, add, CachedPrefix.NONE);
                if (a == null) {
                    for (int i = 0; i < add; i++) s.tokens.removeLast();
                } else {
                    write(m, kv, blockSize, id, s, s.tokens.size(), a.copies());
                }
            } else if (kind < 8 && !seqs.isEmpty()) { // fork
                long id = pick(r, seqs);
                Seq p = seqs.get(id), c = new Seq(p.chain.copy());
                c.tokens.addAll(p.tokens);
                c.computed = p.computed;
                long cid = nextId++;
                m.fork(id, cid);
                seqs.put(cid, c);
            } else if (!seqs.isEmpty()) {
                long id = pick(r, seqs);
                m.free(id);
                seqs.remove(id);
            }
            m.checkInvariants();
            for (var e : seqs.entrySet()) { // every sequence reads back exactly its own tokens
                int[] table = m.blockTable(e.getKey());
                Seq s = e.getValue();
                for (int p = 0; p < s.computed; p++) {
                    assertThat(kv[table[p / blockSize] * blockSize + p % blockSize])
                            .as("seed %d op %d seq %d pos %d", seed, op, e.getKey(), p).isEqualTo(s.tokens.get(p));
                }
            }
        }
        for (long id : List.copyOf(seqs.keySet())) m.free(id);
        assertThat(m.pool().stats().free()).isEqualTo(numBlocks);
        m.checkInvariants();
    }

    /** Executes copies, then writes positions [computed, upTo) and offers full blocks to the cache. */
    private static void write(KvCacheManager m, int[] kv, int bs, long id, Seq s, int upTo, List<BlockCopy> copies) {
        for (BlockCopy c : copies) System.arraycopy(kv, c.src() * bs, kv, c.dst() * bs, bs);
        int[] table = m.blockTable(id);
        for (int p = s.computed; p < upTo; p++) kv[table[p / bs] * bs + p % bs] = s.tokens.get(p);
        s.computed = upTo;
        m.cacheFullBlocks(id, s.chain, s.array(), s.computed);
    }

    private static long pick(Random r, Map<Long, Seq> seqs) {
        List<Long> ids = List.copyOf(seqs.keySet());
        return ids.get(r.nextInt(ids.size()));
    }
}
