package dev.ingot.runtime.exec;

import static dev.ingot.model.arch.ForwardSignature.B;
import static dev.ingot.model.arch.ForwardSignature.L;
import static dev.ingot.model.arch.ForwardSignature.NB;
import static dev.ingot.model.arch.ForwardSignature.S;
import static dev.ingot.model.arch.ForwardSignature.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.compiler.program.FloatView;
import dev.ingot.compiler.program.Program;
import dev.ingot.compiler.program.ProgramCompiler;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.Architectures;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.ModelGraph;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.runtime.exec.TieredPrograms.Policy;
import dev.ingot.runtime.exec.TieredPrograms.Role;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.scheduler.FlatBatch;
import dev.ingot.testkit.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiered compilation: the policy on real programs of stories260K with scripted step times (hot bucket ->
 * background compile -> trial -> install or reject; failing compiles; drift), and the runner end to end: a
 * greedy generation during which tier 1 is swapped in equals one that never leaves tier 0.
 */
class TieredProgramsTest {
    private static final WorkerPool POOL = new WorkerPool(2);
    private static GgufFile file;
    private static ModelGraph model;

    @BeforeAll
    static void load() throws Exception {
        file = GgufFile.open(SharedData.model("stories260K.gguf"));
        model = Architectures.build(file, 16);
    }

    @AfterAll
    static void close() throws Exception {
        POOL.close();
        file.close();
    }

    private static Program compile(int t, int l, boolean tier1) {
        var g = PassPipeline.standard().run(model.graph()).graph();
        return ProgramCompiler.compile(g, Map.of(T, (long) t, S, 4L, B, 32L, L, (long) l, NB, 64L), POOL);
    }

    private static Policy policy(double margin) { return new Policy(true, 3, 2, margin, 0.5, 4); }

    /** Steps bucket (1, 1) with tier-0 time {@code base} until a trial starts; returns its first trial choice. */
    private static TieredPrograms.Choice untilTrial(TieredPrograms tiers, long base) throws InterruptedException {
        return untilTrial(tiers, 1, 1, 1, base, 10_000);
    }

    /** Steps of {@code tokens} tokens in bucket (t, l), each timed {@code base}, until a trial starts (within maxSteps). */
    private static TieredPrograms.Choice untilTrial(TieredPrograms tiers, int t, int l, int tokens, long base, int maxSteps)
            throws InterruptedException {
        for (int i = 0; i < maxSteps; i++) {
            TieredPrograms.Choice c = tiers.choose(t, l, tokens);
            if (c.role() == Role.TRIAL) return c;
            tiers.report(c, base, tokens);
            if (c.role() == Role.TIER0 && i > 3) Thread.sleep(5); // let the background compile finish
        }
        throw new AssertionError("no trial started in bucket (" + t + ", " + l + ") within " + maxSteps + " steps");
    }

    /**
     * Runs a trial in bucket (1, 1) from {@code first}: each of {@code times} is a trial step's time, and the tier-0
     * steps it alternates with (each counted trial step is paired with one) take {@code base}. Returns the next
     * choice, not run.
     */
    private static TieredPrograms.Choice trial(TieredPrograms tiers, TieredPrograms.Choice first, long base, long... times) {
        return trialIn(tiers, first, 1, 1, 1, base, times);
    }

    /** As {@link #trial}, for steps of {@code tokens} tokens in bucket (t, l). */
    private static TieredPrograms.Choice trialIn(TieredPrograms tiers, TieredPrograms.Choice first, int t, int l, int tokens,
                                               long base, long... times) {
        TieredPrograms.Choice c = first;
        for (long ns : times) {
            while (c.role() == Role.TIER0) {
                tiers.report(c, base, tokens);
                c = tiers.choose(t, l, tokens);
            }
            assertThat(c.role()).isEqualTo(Role.TRIAL);
            tiers.report(c, ns, tokens);
            c = tiers.choose(t, l, tokens);
        }
        return c;
    }

    @Test
    void hotBucketIsSpecialisedAndInstalledWhenFaster() throws Exception {
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            TieredPrograms.Choice trial = untilTrial(tiers, 1000);
            assertThat(trial.program()).isNotSameAs(t0);
            TieredPrograms.Choice after = trial(tiers, trial, 1000, 800, 800);
            assertThat(after.role()).isEqualTo(Role.TIER1);
            assertThat(after.program()).isSameAs(trial.program());
            assertThat(tiers.counts().installs()).isEqualTo(1);
            assertThat(tiers.specialised(1, 1)).isTrue();
        }
    }

    @Test
    void slowerCandidateIsNeverInstalled() throws Exception {
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            trial(tiers, untilTrial(tiers, 1000), 1000, 1100, 1100);
            for (int i = 0; i < 50; i++) {
                TieredPrograms.Choice c = tiers.choose(1, 1);
                assertThat(c.program()).isSameAs(t0);
                tiers.report(c, 1000, 1);
            }
            assertThat(tiers.counts().rejects()).isEqualTo(1);
            assertThat(tiers.counts().installs()).isZero();
            assertThat(tiers.counts().tier1Compiles()).as("no second attempt without a demotion").isEqualTo(1);
        }
    }

    @Test
    void trialWarmupStepsAreNotCounted() throws Exception {
        // a candidate whose first two steps run cold (JIT warm-up: 3x) and then faster than tier 0
        Policy warm = new Policy(true, 3, 2, 0.03, 0.5, 4, Integer.MAX_VALUE, 0, 2, 0, 0);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, warm, 8, 8, JitActivity.none())) {
            TieredPrograms.Choice after = trial(tiers, untilTrial(tiers, 1000), 1000, 3000, 3000, 800, 800);
            assertThat(after.role()).isEqualTo(Role.TIER1);
            assertThat(tiers.counts().installs()).isEqualTo(1);
        }
        // without the warm-up the same cold steps are the whole trial and the candidate is rejected
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, JitActivity.none())) {
            trial(tiers, untilTrial(tiers, 1000), 1000, 3000, 3000);
            assertThat(tiers.counts().rejects()).isEqualTo(1);
        }
    }

    @Test
    void trialStepsArePairedWithTheTierZeroStepBeforeThem() throws Exception {
        // the host (or the contexts) slows 2x once the trial starts: tier 0 now takes 2000, the candidate 1800.
        // Against the tier-0 steps from before the trial (1000) it would look 1.8x slower; paired, it is 0.9x.
        Policy warm1 = new Policy(true, 3, 2, 0.03, 0.5, 4, Integer.MAX_VALUE, 0, 1, 0, 0);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, warm1, 8, 8, JitActivity.none())) {
            // one uncounted warm-up step, then two counted ones, each after a tier-0 step at 2000
            TieredPrograms.Choice after = trial(tiers, untilTrial(tiers, 1000), 2000, 1800, 1800, 1800);
            assertThat(after.role()).isEqualTo(Role.TIER1);
            assertThat(tiers.counts().installs()).isEqualTo(1);
        }
    }

    @Test
    void stepsBesideAJitCompileAreNotCounted() throws Exception {
        // the JIT compiles during the candidate's first two counted steps (3000, slow); they are skipped
        java.util.concurrent.atomic.AtomicLong jitClock = new java.util.concurrent.atomic.AtomicLong();
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, new JitActivity(jitClock::get))) {
            TieredPrograms.Choice c = untilTrial(tiers, 1000);
            long[] times = {3000, 3000, 800, 800};
            for (int i = 0; i < times.length; i++) {
                while (c.role() == Role.TIER0) {
                    tiers.report(c, 1000, 1);
                    c = tiers.choose(1, 1);
                }
                assertThat(c.role()).isEqualTo(Role.TRIAL);
                if (i < 2) jitClock.addAndGet(5); // a compile finished during this step
                tiers.report(c, times[i], 1);
                c = tiers.choose(1, 1);
            }
            assertThat(c.role()).isEqualTo(Role.TIER1);
            assertThat(tiers.counts().rejects()).isZero();
        }
        // a JIT that never settles does not hold a trial up: after MAX_SKIPS noisy steps in a row they count
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, new JitActivity(jitClock::get))) {
            TieredPrograms.Choice c = untilTrial(tiers, 1000);
            int steps = 0;
            while (c.role() != Role.TIER1 && tiers.counts().rejects() == 0 && steps++ < 10 * JitActivity.MAX_SKIPS) {
                jitClock.incrementAndGet();
                tiers.report(c, c.role() == Role.TRIAL ? 800 : 1000, 1);
                c = tiers.choose(1, 1);
            }
            assertThat(c.role()).isEqualTo(Role.TIER1);
            assertThat(steps).isGreaterThan(JitActivity.MAX_SKIPS);
        }
    }

    @Test
    void closeRejectionIsTriedOnceMore() throws Exception {
        // rejected at 1.1x (within the retry margin), tried again after 5 steps of its bucket: faster then, installed
        Policy retry = new Policy(true, 3, 2, 0.03, 0.5, 4, Integer.MAX_VALUE, 0, 0, 5, 0.3);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, retry, 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            TieredPrograms.Choice trial = untilTrial(tiers, 1000);
            Program candidate = trial.program();
            trial(tiers, trial, 1000, 1100, 1100);
            assertThat(tiers.counts().rejects()).isEqualTo(1);
            TieredPrograms.Choice again = untilTrial(tiers, 1, 1, 1, 1000, 100);
            assertThat(again.program()).as("the same candidate, not a new compile").isSameAs(candidate);
            assertThat(tiers.counts().tier1Compiles()).isEqualTo(1);
            TieredPrograms.Choice after = trial(tiers, again, 1000, 800, 800);
            assertThat(after.role()).isEqualTo(Role.TIER1);
            assertThat(after.program()).isSameAs(candidate).isNotSameAs(t0);
        }
        // rejected twice: tier 0 for good; far from the margin (2x): never tried again
        for (long second : new long[] {1100, -1}) {
            try (var tiers = new TieredPrograms(TieredProgramsTest::compile, retry, 8, 8, JitActivity.none())) {
                Program t0 = tiers.tier0();
                long first = second < 0 ? 2000 : 1100;
                trial(tiers, untilTrial(tiers, 1000), 1000, first, first);
                if (second > 0) trial(tiers, untilTrial(tiers, 1, 1, 1, 1000, 100), 1000, second, second);
                for (int i = 0; i < 50; i++) {
                    TieredPrograms.Choice c = tiers.choose(1, 1);
                    assertThat(c.program()).isSameAs(t0);
                    tiers.report(c, 1000, 1);
                }
                assertThat(tiers.counts().rejects()).isEqualTo(second > 0 ? 2 : 1);
                assertThat(tiers.counts().installs()).isZero();
            }
        }
    }

    @Test
    void failingCompileKeepsTierZero() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TieredPrograms.Compiler failing = (t, l, tier1) -> {
            if (calls.getAndIncrement() > 0) throw new IllegalStateException("injected compile failure");
            return compile(t, l, tier1);
        };
        try (var tiers = new TieredPrograms(failing, policy(0.03), 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            for (int i = 0; i < 200 && tiers.counts().failures() == 0; i++) {
                TieredPrograms.Choice c = tiers.choose(1, 1);
                assertThat(c.program()).isSameAs(t0);
                tiers.report(c, 1000, 1);
                Thread.sleep(2);
            }
            assertThat(tiers.counts().failures()).isEqualTo(1);
            assertThat(tiers.counts().rejects()).isEqualTo(1);
            assertThat(tiers.choose(1, 1).program()).isSameAs(t0);
        }
    }

    @Test
    void driftDemotesAndSpecialisesAgain() throws Exception {
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            trial(tiers, untilTrial(tiers, 1000), 1000, 500, 500);
            for (int i = 0; i < 4; i++) tiers.report(tiers.choose(1, 1), 2000, 1); // 4x its trial time
            assertThat(tiers.counts().drifts()).isEqualTo(1);
            assertThat(tiers.choose(1, 1).program()).isSameAs(t0);
            untilTrial(tiers, 1000);
            assertThat(tiers.counts().tier1Compiles()).isEqualTo(2);
        }
    }

    @Test
    void noisyStepsWithinTheBucketAreNotDrift() throws Exception {
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, policy(0.03), 8, 8, JitActivity.none())) {
            trial(tiers, untilTrial(tiers, 1000), 1000, 500, 500);
            // a window of steps mostly 4x slower per token (fewer tokens, longer contexts), but its best step as fast as the trial
            for (int i = 0; i < 40; i++) tiers.report(tiers.choose(1, 1), i % 4 == 0 ? 520 : 2000, 1);
            assertThat(tiers.counts().drifts()).isZero();
            assertThat(tiers.choose(1, 1).role()).isEqualTo(Role.TIER1);
        }
    }

    @Test
    void prefillBucketIsHotByTokensAndServesBucketsWithoutTheirOwn() throws Exception {
        // hot after 1000 steps or 64 tokens: a bucket of big steps turns hot by its work
        Policy p = new Policy(true, 1000, 1000, 0.03, 0.5, 1000, 64, 0);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, p, 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            TieredPrograms.Choice c = untilTrial(tiers, 8, 8, 8, 8000, 2000); // hot after ~64 tokens, not 1000 steps
            // the trial, too, ends after 64 tokens: 8 counted steps
            TieredPrograms.Choice top = trialIn(tiers, c, 8, 8, 8, 8000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000);
            assertThat(top.role()).isEqualTo(Role.TIER1);
            // a bucket never specialised now runs the largest bucket's tier-1 program, not tier 0
            TieredPrograms.Choice small = tiers.choose(2, 2, 2);
            assertThat(small.role()).isEqualTo(Role.TIER0);
            assertThat(small.program()).isSameAs(top.program()).isNotSameAs(t0);
        }
    }

    @Test
    void genericProgramIsCompiledEagerlyAndTriedOnOtherBuckets() throws Exception {
        Policy p = new Policy(true, 1000, 4, 0.03, 0.5, 1000, Integer.MAX_VALUE, 2);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, p, 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            TieredPrograms.Choice c = untilTrial(tiers, 2, 2, 2, 2000, 2000); // the generic candidate, on a bucket never hot itself
            assertThat(tiers.counts().tier1Compiles()).isEqualTo(1);
            c = trialIn(tiers, c, 2, 2, 2, 2000, 1200, 1200, 1200, 1200); // 0.6x the tier-0 steps of bucket (2, 2)
            assertThat(tiers.counts().installs()).isEqualTo(1);
            assertThat(c.role()).isEqualTo(Role.TIER0);
            assertThat(c.program()).isNotSameAs(t0);
            assertThat(tiers.specialised(8, 8)).isTrue();
        }
    }

    @Test
    void slowerGenericCandidateKeepsTierZero() throws Exception {
        Policy p = new Policy(true, 1000, 4, 0.03, 0.5, 1000, Integer.MAX_VALUE, 2);
        try (var tiers = new TieredPrograms(TieredProgramsTest::compile, p, 8, 8, JitActivity.none())) {
            Program t0 = tiers.tier0();
            for (int i = 0; i < 3000 && !tiers.specialised(8, 8); i++) {
                TieredPrograms.Choice c = tiers.choose(i % 2 == 0 ? 2 : 4, 4, 2);
                tiers.report(c, c.role() == Role.TRIAL ? 2500 : 2000, 2);
                if (i > 2) Thread.sleep(1);
            }
            assertThat(tiers.counts().rejects()).isEqualTo(1);
            assertThat(tiers.choose(2, 4, 2).program()).isSameAs(t0);
        }
    }

    @Test
    void swapDuringGenerationChangesNoOutput() {
        List<Integer> tiered = greedy(new Policy(true, 2, 2, 1e9, 1e9, 1 << 20), 48);
        List<Integer> untiered = greedy(new Policy(false, 0, 0, 0, 0, 0), 48);
        assertThat(tiered).isEqualTo(untiered);
    }

    /** Greedy tokens after "Once upon a time" prompt ids; with a tiered policy, asserts a swap happened on the way. */
    private static List<Integer> greedy(Policy policy, int steps) {
        DecoderParams p = model.params();
        try (KvStorage kv = KvStorage.ofBlocks(new KvLayout(p.nLayer(), p.nHeadKv(), p.headDim(), 16), 8);
             ModelRunner runner = new ModelRunner(model, kv, POOL, 16, 1, 1, policy)) {
            int[] table = {3, 1, 5, 0, 7};
            int[] prompt = {1, 403, 261, 307, 95};
            FloatView out = runner.forward(FlatBatch.singleSequence(prompt, 0, table, 16, false));
            List<Integer> tokens = new ArrayList<>();
            int pos = prompt.length;
            for (int i = 0; i < steps; i++) {
                int next = argmax(out);
                tokens.add(next);
                out = runner.forward(FlatBatch.singleSequence(new int[] {next}, pos++, table, 16, false));
                if (policy.enabled() && i == steps / 2) {
                    // give the background compile time to land so that the swap happens mid-generation
                    for (int w = 0; w < 500 && runner.stats().compiles() < 2; w++) sleep();
                }
            }
            if (policy.enabled()) assertThat(runner.stats().tier1Installs()).as("a swap happened").isPositive();
            return tokens;
        }
    }

    private static int argmax(FloatView v) {
        float[] row = new float[v.cols()];
        v.copyRow(v.rows() - 1, row);
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
