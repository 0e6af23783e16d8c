package dev.ingot.runtime.scheduler;

import dev.ingot.runtime.kvcache.BlockCopy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deterministic stand-in for model + sampler with a fake paged KV cache. Each slot holds the token
 * written there and a hash of the whole prefix up to it, computed from the cache itself (like real K/V,
 * which depends on all earlier positions). Every step it re-walks each scheduled sequence's context
 * through its block table and fails on any slot that does not continue the chain, so a wrong block
 * table, a missed copy-on-write or a block reused while referenced breaks the test at once. The sampled
 * token is a function of (request, sample index, prefix hash), so correct runs are reproducible
 * regardless of batching, preemption or caching; {@link Oracle} computes the same tokens directly.
 */
final class FakeModelRunner {
    static final long INIT = 0x243F6A8885A308D3L;
    private final int blockSize;
    private final int[] tok;
    private final long[] hash;
    private final int vocab;
    private final int stopModulus;

    FakeModelRunner(int numBlocks, int blockSize, int vocab, int stopModulus) {
        this.blockSize = blockSize;
        this.tok = new int[numBlocks * blockSize];
        this.hash = new long[numBlocks * blockSize];
        Arrays.fill(hash, 0xDEADL); // unwritten slots never continue a chain
        this.vocab = vocab;
        this.stopModulus = stopModulus;
    }

    static long mix(long h, long x) {
        long z = h * 0x9E3779B97F4A7C15L + x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The sampler: a pure function of the request, which sample, and the whole prefix. */
    int sample(String requestId, int sampleIndex, long prefixHash) {
        return (int) Math.floorMod(mix(mix(prefixHash, requestId.hashCode()), sampleIndex), (long) vocab);
    }

    boolean isStop(int token) {
        return stopModulus > 0 && token % stopModulus == 0;
    }

    ModelRunnerOutput execute(SchedulerOutput out) {
        for (BlockCopy c : out.blockCopies()) {
            System.arraycopy(tok, c.src() * blockSize, tok, c.dst() * blockSize, blockSize);
            System.arraycopy(hash, c.src() * blockSize, hash, c.dst() * blockSize, blockSize);
        }
        List<SampledTokens> sampled = new ArrayList<>();
        for (ScheduledSeq s : out.seqs()) {
            int[] table = s.blockTable();
            long h = INIT;
            for (int p = 0; p < s.numComputedTokens(); p++) { // attention reads the cached context
                int slot = table[p / blockSize] * blockSize + p % blockSize;
                h = mix(h, tok[slot]);
                if (hash[slot] != h) {
                    throw new AssertionError("step " + out.step() + ": seq " + s.seqId() + " reads corrupt KV at position " + p);
                }
            }
            int[] ids = s.tokenIds(), slots = s.slotMapping(), pos = s.positions();
            for (int i = 0; i < ids.length; i++) {
                if (pos[i] != s.numComputedTokens() + i) throw new AssertionError("bad position in " + s);
                int expectSlot = table[pos[i] / blockSize] * blockSize + pos[i] % blockSize;
                if (slots[i] != expectSlot) throw new AssertionError("slot mapping disagrees with block table in " + s);
                h = mix(h, ids[i]);
                tok[slots[i]] = ids[i];
                hash[slots[i]] = h;
            }
            if (!s.needsLogits()) continue;
            int[] t = new int[s.numSamples()];
            boolean[] stop = new boolean[t.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = sample(s.requestId(), t.length > 1 ? i : s.seqIndex(), h);
                stop[i] = isStop(t[i]);
            }
            sampled.add(new SampledTokens(s.seqId(), t, stop));
        }
        return new ModelRunnerOutput(sampled);
    }
}
