package dev.ingot.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Random workloads (shared prefixes, n &gt; 1, priorities, aborts at random steps, random KV budgets and
 * limits) through the whole engine loop. Every step the {@link Driver} checks the scheduler's and the KV
 * manager's invariants (refcounts == table references, no block both free and referenced, budget and
 * sequence limits) and the {@link FakeModelRunner} re-reads every context through its block table. At
 * the end every block is free and every request that was not aborted produced exactly the tokens the
 * cache-free {@link Oracle} computes, despite preemption, prefix hits and copy-on-write.
 */
class SchedulerRandomizedTest {

    /** What a run exercised, so a test can insist that its workload was not trivial. */
    record Coverage(int steps, long preemptions, long prefixHitTokens, int blockCopies, int aborted, int forked) {}

    @Test
    void thousandRequestsWithAbortsEndWithEveryBlockFree() {
        long seed = Seeds.seed("SchedulerRandomizedTest.thousandRequests");
        // tight enough to preempt, with room for prefix reuse: 4-token blocks, 96-token context, 60 blocks
        var config = new SchedulerConfig(48, 12, 96, SchedulingPolicy.FCFS);
        Coverage c = run(new Random(seed), 1000, config, 60, 4, true, 97, seed);
        System.out.println("[coverage] " + c);
        assertThat(c.preemptions()).as("seed %d", seed).isPositive();
        assertThat(c.prefixHitTokens()).as("seed %d", seed).isPositive();
        assertThat(c.blockCopies()).as("seed %d", seed).isPositive();
        assertThat(c.aborted()).as("seed %d", seed).isPositive();
        assertThat(c.forked()).as("seed %d", seed).isPositive();
    }

    @Property(tries = 40)
    void randomConfigurationsNeverLeakAndMatchTheOracle(@ForAll long seed) {
        Random r = new Random(seed);
        int blockSize = 1 + r.nextInt(8);
        int maxModelLen = 8 + r.nextInt(80);
        int minBlocks = (maxModelLen + blockSize - 1) / blockSize;
        int numBlocks = minBlocks + r.nextInt(2 * minBlocks + 1);
        var policy = r.nextBoolean() ? SchedulingPolicy.FCFS : SchedulingPolicy.PRIORITY;
        int maxNumSeqs = 1 + r.nextInt(12);
        var config = new SchedulerConfig(maxNumSeqs + r.nextInt(64), maxNumSeqs, maxModelLen, policy);
        run(r, 60, config, numBlocks, blockSize, r.nextInt(4) != 0, r.nextBoolean() ? 0 : 20 + r.nextInt(200), seed);
    }

    static Coverage run(Random r, int numRequests, SchedulerConfig config, int numBlocks, int blockSize,
                        boolean prefixCaching, int stopModulus, long seed) {
        Driver d = new Driver(config, numBlocks, blockSize, prefixCaching, stopModulus);
        List<int[]> systemPrompts = new ArrayList<>();
        for (int i = 0; i < 5; i++) systemPrompts.add(r.ints(r.nextInt(config.maxModelLen() / 2), 0, 1000).toArray());
        List<NewRequest> added = new ArrayList<>();
        Set<String> abortRequested = new HashSet<>();
        int forked = 0;
        for (int step = 0; added.size() < numRequests || d.scheduler.hasUnfinished(); step++) {
            assertThat(step).as("no progress, seed %d", seed).isLessThan(200_000);
            for (int k = r.nextInt(4); k > 0 && added.size() < numRequests; k--) {
                NewRequest req = randomRequest(r, "q" + added.size(), step, config, systemPrompts);
                if (req.n() > 1) forked++;
                d.scheduler.addRequest(req);
                added.add(req);
            }
            if (!added.isEmpty() && r.nextInt(20) == 0) {
                String id = added.get(r.nextInt(added.size())).requestId();
                abortRequested.add(id); // may already be finished: then the abort is a no-op
                d.scheduler.abort(id);
            }
            SchedulerOutput out = d.step();
            assertThat(out.seqs().size()).isLessThanOrEqualTo(config.maxNumSeqs());
        }
        d.assertAllBlocksFree();
        assertThat(d.finishedRequests).as("each request finishes once, seed %d", seed)
                .hasSize(numRequests).doesNotHaveDuplicates();
        int aborted = 0;
        for (NewRequest req : added) {
            boolean wasAborted = false;
            for (int i = 0; i < req.n(); i++) wasAborted |= d.finished.get(req.requestId() + "#" + i) == FinishReason.ABORT;
            if (!wasAborted) {
                d.assertMatchesOracle(req);
                continue;
            }
            aborted++;
            assertThat(abortRequested).contains(req.requestId());
            for (int i = 0; i < req.n(); i++) { // whatever was produced before the abort is still right
                List<Integer> got = d.tokens.getOrDefault(req.requestId() + "#" + i, List.of());
                List<Integer> want = Oracle.expected(d.runner, req, i, config.maxModelLen()).tokens();
                assertThat(got.size()).as("seed %d %s#%d", seed, req.requestId(), i).isLessThanOrEqualTo(want.size());
                assertThat(got).as("seed %d %s#%d", seed, req.requestId(), i).isEqualTo(want.subList(0, got.size()));
            }
        }
        int copies = d.steps.stream().mapToInt(s -> s.blockCopies().size()).sum();
        return new Coverage(d.steps.size(), d.scheduler.totalPreemptions(), d.scheduler.kvCacheManager().prefixStats().hits(), copies, aborted, forked);
    }

    private static NewRequest randomRequest(Random r, String id, long arrival, SchedulerConfig config, List<int[]> systemPrompts) {
        int[] sys = systemPrompts.get(r.nextInt(systemPrompts.size()));
        int len = Math.min(config.maxModelLen() - 1, sys.length + 1 + r.nextInt(20));
        int[] prompt = new int[len];
        for (int i = 0; i < len; i++) prompt[i] = i < sys.length ? sys[i] : r.nextInt(1000);
        int n = r.nextInt(5) == 0 ? 1 + r.nextInt(Math.min(3, config.maxNumSeqs())) : 1;
        return new NewRequest(id, prompt, n, 1 + r.nextInt(40), r.nextInt(4), arrival, r.nextInt(10) == 0 ? "adapter" : "");
    }
}
