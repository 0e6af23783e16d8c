package dev.ingot.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.runtime.kvcache.BlockPool;
import dev.ingot.runtime.kvcache.KvCacheManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs the engine loop (schedule, fake model, update) with invariant checks after every call. */
final class Driver {
    final Scheduler scheduler;
    final FakeModelRunner runner;
    final List<SchedulerOutput> steps = new ArrayList<>();
    /** Per "requestId#seqIndex": tokens so far; and its finish reason once finished. */
    final Map<String, List<Integer>> tokens = new HashMap<>();
    final Map<String, FinishReason> finished = new HashMap<>();
    final List<String> finishedRequests = new ArrayList<>();

    Driver(SchedulerConfig config, int numBlocks, int blockSize, boolean prefixCaching, int stopModulus) {
        this.scheduler = new Scheduler(config, new KvCacheManager(new BlockPool(numBlocks), blockSize, prefixCaching));
        this.runner = new FakeModelRunner(numBlocks, blockSize, 1000, stopModulus);
    }

    SchedulerOutput step() {
        SchedulerOutput out = scheduler.schedule();
        scheduler.checkInvariants();
        assertThat(out.totalTokens()).isLessThanOrEqualTo(scheduler.config().maxBatchTokens());
        steps.add(out);
        List<SequenceOutput> outs = scheduler.update(out, runner.execute(out));
        scheduler.checkInvariants();
        for (SequenceOutput o : outs) {
            String key = o.requestId() + "#" + o.seqIndex();
            assertThat(finished).as("output after finish for %s", key).doesNotContainKey(key);
            List<Integer> list = tokens.computeIfAbsent(key, k -> new ArrayList<>());
            for (int t : o.newTokenIds()) list.add(t);
            if (o.finished()) finished.put(key, o.finishReason());
            if (o.requestFinished()) finishedRequests.add(o.requestId());
        }
        return out;
    }

    /** Steps until {@code done} holds, failing after {@code maxSteps} (a broken scheduler must not hang a test). */
    void stepUntil(java.util.function.BooleanSupplier done, int maxSteps) {
        for (int i = 0; !done.getAsBoolean(); i++) {
            assertThat(i).as("condition not reached in %d steps", maxSteps).isLessThan(maxSteps);
            step();
        }
    }

    /** Steps until nothing is left, calling {@code beforeStep} with the step number first. */
    void runToCompletion(int maxSteps, Consumer<Integer> beforeStep) {
        for (int i = 0; scheduler.hasUnfinished(); i++) {
            assertThat(i).as("no progress after %d steps", maxSteps).isLessThan(maxSteps);
            beforeStep.accept(i);
            step();
        }
    }

    void runToCompletion(int maxSteps) {
        runToCompletion(maxSteps, i -> {});
    }

    /** Asserts every sample of {@code r} matches the oracle. */
    void assertMatchesOracle(NewRequest r) {
        for (int i = 0; i < r.n(); i++) {
            Oracle.Result e = Oracle.expected(runner, r, i, scheduler.config().maxModelLen());
            String key = r.requestId() + "#" + i;
            assertThat(tokens.get(key)).as("tokens of %s", key).isEqualTo(e.tokens());
            assertThat(finished.get(key)).as("finish of %s", key).isEqualTo(e.reason());
        }
    }

    void assertAllBlocksFree() {
        var stats = scheduler.kvCacheManager().pool().stats();
        assertThat(stats.free()).as("free blocks %s", stats).isEqualTo(stats.total());
        assertThat(scheduler.kvCacheManager().numSequences()).isZero();
        for (int b = 0; b < stats.total(); b++) assertThat(scheduler.kvCacheManager().pool().refCount(b)).isZero();
    }
}
