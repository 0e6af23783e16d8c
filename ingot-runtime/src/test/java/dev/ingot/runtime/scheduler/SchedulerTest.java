package dev.ingot.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static int[] prompt(int from, int n) {
        return IntStream.range(from, from + n).toArray();
    }

    private static ScheduledSeq only(SchedulerOutput out, String requestId) {
        return out.seqs().stream().filter(s -> s.requestId().equals(requestId)).findFirst().orElseThrow();
    }

    @Test
    void requestsMoveFromWaitingToRunningToFinished() {
        Driver d = new Driver(SchedulerConfig.fcfs(64, 2, 64), 32, 4, true, 0);
        NewRequest a = NewRequest.of("a", prompt(0, 5), 3, 0), b = NewRequest.of("b", prompt(10, 5), 3, 1),
                c = NewRequest.of("c", prompt(20, 5), 3, 2);
        d.scheduler.addRequest(a);
        d.scheduler.addRequest(b);
        d.scheduler.addRequest(c);
        assertThat(d.scheduler.numWaiting()).isEqualTo(3);
        SchedulerOutput first = d.step();
        assertThat(first.seqs()).extracting(ScheduledSeq::requestId).containsExactly("a", "b"); // maxNumSeqs = 2
        assertThat(d.scheduler.numRunning()).isEqualTo(2);
        assertThat(d.scheduler.numWaiting()).isEqualTo(1);
        SchedulerOutput second = d.step();
        assertThat(second.seqs()).allMatch(s -> s.numNewTokens() == 1 && s.needsLogits());
        d.step(); // a and b produce their 3rd token and finish
        assertThat(d.finishedRequests).containsExactly("a", "b");
        SchedulerOutput fourth = d.step();
        assertThat(fourth.finishedSeqIds()).hasSize(2);
        assertThat(fourth.seqs()).extracting(ScheduledSeq::requestId).containsExactly("c");
        d.runToCompletion(10);
        for (NewRequest r : List.of(a, b, c)) d.assertMatchesOracle(r);
        d.assertAllBlocksFree();
    }

    @Test
    void chunkedPrefillRespectsTheBudgetAndDecodesGoFirst() {
        Driver d = new Driver(SchedulerConfig.fcfs(8, 4, 64), 32, 4, false, 0);
        NewRequest a = NewRequest.of("a", prompt(0, 3), 10, 0);
        d.scheduler.addRequest(a);
        d.step(); // a prefilled, now decoding
        NewRequest b = NewRequest.of("b", prompt(100, 20), 2, 1);
        d.scheduler.addRequest(b);
        int[] chunks = new int[3];
        for (int i = 0; i < 3; i++) {
            SchedulerOutput out = d.step();
            assertThat(out.seqs().get(0).requestId()).isEqualTo("a"); // the decode first
            ScheduledSeq sb = only(out, "b");
            chunks[i] = sb.numNewTokens();
            assertThat(sb.needsLogits()).isEqualTo(i == 2);
            assertThat(sb.numSamples()).isEqualTo(i == 2 ? 1 : 0);
            assertThat(sb.positions()[0]).isEqualTo(i * 7);
            assertThat(out.totalTokens()).isEqualTo(i == 2 ? 7 : 8);
        }
        assertThat(chunks).containsExactly(7, 7, 6);
        d.runToCompletion(20);
        d.assertMatchesOracle(a);
        d.assertMatchesOracle(b);
        d.assertAllBlocksFree();
    }

    @Test
    void prefixHitsSkipComputedTokensAndShareBlocks() {
        Driver d = new Driver(SchedulerConfig.fcfs(64, 4, 64), 32, 4, true, 0);
        int[] shared = prompt(0, 17);
        NewRequest a = NewRequest.of("a", shared, 5, 0);
        d.scheduler.addRequest(a);
        d.step(); // a's 4 full blocks are now cached
        int[] pb = shared.clone();
        pb[16] = 500; // same first 16 tokens
        NewRequest b = NewRequest.of("b", pb, 5, 1);
        d.scheduler.addRequest(b);
        SchedulerOutput out = d.step();
        ScheduledSeq sa = only(out, "a"), sb = only(out, "b");
        assertThat(sb.numComputedTokens()).isEqualTo(16);
        assertThat(sb.numNewTokens()).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            assertThat(sb.blockTable()[i]).isEqualTo(sa.blockTable()[i]);
            assertThat(d.scheduler.kvCacheManager().pool().refCount(sb.blockTable()[i])).isEqualTo(2);
        }
        assertThat(sb.blockTable()[4]).isNotEqualTo(sa.blockTable()[4]);
        SchedulerStats stats = d.scheduler.stats();
        assertThat(stats.prefixCache()).isEqualTo(new dev.ingot.runtime.kvcache.PrefixCacheStats(17 + 17, 16));
        assertThat(stats.running()).isEqualTo(2);
        assertThat(stats.blocks().used()).isEqualTo(6); // 4 shared + one private tail each
        d.runToCompletion(20);
        d.assertMatchesOracle(a);
        d.assertMatchesOracle(b);
        d.assertAllBlocksFree();
        // finished requests leave their full blocks findable for the next identical prompt
        assertThat(d.scheduler.kvCacheManager().pool().stats().cachedEvictable()).isPositive();
    }

    @Test
    void preemptedRequestsContinueExactlyAsWithoutPreemption() {
        List<NewRequest> reqs = IntStream.range(0, 6).mapToObj(i -> NewRequest.of("r" + i, prompt(i * 50, 9 + i), 20, i)).toList();
        // 12 blocks of 4 tokens = 48 slots for six sequences growing to ~35 tokens each
        Driver small = new Driver(SchedulerConfig.fcfs(32, 6, 48), 12, 4, true, 0);
        reqs.forEach(small.scheduler::addRequest);
        small.runToCompletion(500);
        assertThat(small.scheduler.totalPreemptions()).isPositive();
        for (NewRequest r : reqs) small.assertMatchesOracle(r);
        small.assertAllBlocksFree();
        // the latest arrival is the first victim: r5 runs last to completion
        assertThat(small.finishedRequests.getLast()).isEqualTo("r5");
        // the same workload with memory to spare: no preemption, the very same tokens
        Driver large = new Driver(SchedulerConfig.fcfs(32, 6, 48), 100, 4, true, 0);
        reqs.forEach(large.scheduler::addRequest);
        large.runToCompletion(500);
        assertThat(large.scheduler.totalPreemptions()).isZero();
        assertThat(small.tokens).isEqualTo(large.tokens);
    }

    @Test
    void aPreemptedRequestReturnsAheadOfNeverAdmittedOnes() {
        // 6 blocks of 4: a and b (8-token prompts) outgrow the pool at their 13th token; c waits on maxNumSeqs
        Driver d = new Driver(SchedulerConfig.fcfs(64, 2, 24), 6, 4, true, 0);
        NewRequest a = NewRequest.of("a", prompt(0, 8), 10, 0), b = NewRequest.of("b", prompt(20, 8), 10, 1),
                c = NewRequest.of("c", prompt(40, 8), 10, 2);
        List.of(a, b, c).forEach(d.scheduler::addRequest);
        d.stepUntil(() -> d.scheduler.totalPreemptions() > 0, 50);
        assertThat(d.steps.getLast().seqs()).extracting(ScheduledSeq::requestId).containsExactly("a");
        d.stepUntil(() -> d.steps.getLast().seqs().stream().anyMatch(s -> !s.requestId().equals("a")), 50);
        assertThat(d.steps.getLast().seqs()).extracting(ScheduledSeq::requestId).doesNotContain("a").first().isEqualTo("b");
        d.runToCompletion(100);
        for (NewRequest r : List.of(a, b, c)) d.assertMatchesOracle(r);
        d.assertAllBlocksFree();
    }

    @Test
    void priorityPolicyAdmitsAndPreemptsByPriority() {
        var config = new SchedulerConfig(64, 1, 32, SchedulingPolicy.PRIORITY);
        Driver d = new Driver(config, 16, 4, true, 0);
        d.scheduler.addRequest(new NewRequest("low", prompt(0, 4), 1, 2, 5, 0, ""));
        d.scheduler.addRequest(new NewRequest("high", prompt(10, 4), 1, 2, 1, 1, ""));
        assertThat(d.step().seqs()).extracting(ScheduledSeq::requestId).containsExactly("high");
        d.runToCompletion(20);
        assertThat(d.finishedRequests).containsExactly("high", "low");

        // memory pressure: 2 sequences, 5 blocks; the larger priority value is preempted, not the older one
        Driver p = new Driver(new SchedulerConfig(64, 2, 20, SchedulingPolicy.PRIORITY), 5, 4, false, 0);
        NewRequest older = new NewRequest("older-low", prompt(0, 7), 1, 12, 9, 0, "");
        NewRequest newer = new NewRequest("newer-high", prompt(30, 7), 1, 12, 0, 1, "");
        p.scheduler.addRequest(older);
        p.scheduler.addRequest(newer);
        p.runToCompletion(100);
        assertThat(p.scheduler.totalPreemptions()).isPositive();
        assertThat(p.finishedRequests).containsExactly("newer-high", "older-low");
        p.assertMatchesOracle(older);
        p.assertMatchesOracle(newer);
        p.assertAllBlocksFree();
    }

    @Test
    void parallelSamplingForksSharingThePromptWithCopyOnWrite() {
        Driver d = new Driver(SchedulerConfig.fcfs(64, 4, 64), 32, 4, true, 0);
        NewRequest r = new NewRequest("r", prompt(0, 6), 3, 5, 0, 0, ""); // 1 full block + 2 tokens
        d.scheduler.addRequest(r);
        SchedulerOutput prefill = d.step();
        assertThat(prefill.seqs()).hasSize(1);
        assertThat(prefill.seqs().get(0).numSamples()).isEqualTo(3);
        assertThat(d.scheduler.numRunning()).isEqualTo(3); // forked in update
        var pool = d.scheduler.kvCacheManager().pool();
        int[] table = prefill.seqs().get(0).blockTable();
        assertThat(pool.refCount(table[0])).isEqualTo(3);
        assertThat(pool.refCount(table[1])).isEqualTo(3);
        assertThat(pool.stats().used()).isEqualTo(2);

        SchedulerOutput decode = d.step(); // each sample writes position 6 in the shared partial block
        assertThat(decode.seqs()).hasSize(3);
        assertThat(decode.blockCopies()).hasSize(2).allMatch(c -> c.src() == table[1]);
        assertThat(pool.refCount(table[0])).isEqualTo(3); // the full block stays shared
        assertThat(pool.stats().used()).isEqualTo(4);
        d.runToCompletion(20);
        d.assertMatchesOracle(r);
        assertThat(d.finishedRequests).containsExactly("r");
        d.assertAllBlocksFree();
    }

    @Test
    void abortFreesWaitingRunningAndPreemptedRequests() {
        Driver d = new Driver(SchedulerConfig.fcfs(16, 2, 40), 10, 4, true, 0);
        d.scheduler.addRequest(NewRequest.of("run", prompt(0, 10), 30, 0));
        d.scheduler.addRequest(NewRequest.of("victim", prompt(100, 10), 30, 1));
        d.scheduler.addRequest(NewRequest.of("wait", prompt(200, 5), 30, 2));
        d.stepUntil(() -> d.scheduler.totalPreemptions() > 0, 50);
        d.scheduler.abort("victim"); // now preempted
        d.scheduler.abort("wait");
        d.scheduler.abort("run");
        d.scheduler.abort("unknown"); // ignored
        SchedulerOutput out = d.step();
        assertThat(out.seqs()).isEmpty();
        assertThat(d.finished).containsValues(FinishReason.ABORT).hasSize(3);
        assertThat(d.finishedRequests).containsExactlyInAnyOrder("run", "victim", "wait");
        assertThat(d.scheduler.hasUnfinished()).isFalse();
        d.assertAllBlocksFree();
    }

    @Test
    void flattenConcatenatesSequencesForTheExecutor() {
        Driver d = new Driver(SchedulerConfig.fcfs(64, 4, 64), 32, 4, false, 0);
        d.scheduler.addRequest(NewRequest.of("a", prompt(0, 3), 4, 0));
        d.step();
        d.scheduler.addRequest(NewRequest.of("b", prompt(10, 5), 4, 1));
        SchedulerOutput out = d.step();
        FlatBatch b = out.flatten();
        ScheduledSeq sa = out.seqs().get(0), sb = out.seqs().get(1);
        assertThat(b.numTokens()).isEqualTo(6);
        assertThat(b.queryStart()).containsExactly(0, 1, 6);
        assertThat(b.positions()).containsExactly(3, 0, 1, 2, 3, 4);
        assertThat(b.tokenIds()).startsWith(sa.tokenIds()).endsWith(prompt(10, 5));
        assertThat(b.contextLens()).containsExactly(4, 5);
        assertThat(b.logitsIndices()).containsExactly(0, 5);
        assertThat(b.logitsSeqIds()).containsExactly(sa.seqId(), sb.seqId());
        assertThat(b.blockTables()[1]).containsExactly(sb.blockTable());
        assertThat(b.slotMapping()[1]).isEqualTo(sb.blockTable()[0] * 4);
    }

    @Test
    void rejectsRequestsThatCannotFit() {
        Driver d = new Driver(SchedulerConfig.fcfs(64, 2, 16), 8, 4, true, 0);
        assertThatThrownBy(() -> d.scheduler.addRequest(NewRequest.of("long", prompt(0, 16), 1, 0))).hasMessageContaining("maxModelLen");
        assertThatThrownBy(() -> d.scheduler.addRequest(new NewRequest("n", prompt(0, 2), 3, 1, 0, 0, ""))).hasMessageContaining("maxNumSeqs");
        d.scheduler.addRequest(NewRequest.of("x", prompt(0, 2), 1, 0));
        assertThatThrownBy(() -> d.scheduler.addRequest(NewRequest.of("x", prompt(0, 2), 1, 0))).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new Driver(SchedulerConfig.fcfs(64, 2, 64), 8, 4, true, 0)).hasMessageContaining("KV blocks");
        assertThatThrownBy(() -> SchedulerConfig.fcfs(4, 8, 64)).hasMessageContaining("maxBatchTokens 4 < maxNumSeqs 8");
    }
}
