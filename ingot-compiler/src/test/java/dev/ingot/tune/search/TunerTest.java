package dev.ingot.tune.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.tensor.DType;
import dev.ingot.tune.Gene;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.LinearSchedule;
import dev.ingot.tune.LinearSpace;
import dev.ingot.testkit.Seeds;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The tuner against fake, deterministic cost functions over the real linear space, on a fake clock: each
 * measurement advances it by {@link #COST_NS}. Optimum known by construction; noise is a seeded uniform
 * +-{@code noise} factor on every measurement (0.5% unless a test says otherwise).
 */
class TunerTest {
    static final long COST_NS = 50_000_000L;
    static final LinearSpace SPACE = new LinearSpace(2, true);
    static final KernelSignature A = KernelSignature.linear(DType.Q8_0, 2048, 2048, 128), B = KernelSignature.linear(DType.Q8_0, 8192, 2048, 128);
    static final LinearSchedule OPTIMUM = LinearSchedule.nativeTile(2, 4, 4, 8);

    /** A fake machine: a cost function, a clock it advances, and a count of measurements. */
    static final class Fake implements Measurer<LinearSchedule> {
        final ToDoubleFunction<LinearSchedule> cost;
        final double noise;
        long now;
        int calls;

        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(Seeds.seed("tuner-fake-noise"));

        Fake(ToDoubleFunction<LinearSchedule> cost, double noise) {
            this.cost = cost;
            this.noise = noise;
        }

        @Override
        public Measurement measure(KernelSignature sig, LinearSchedule s) {
            now += COST_NS;
            calls++;
            double jitter = 1 + noise * (2 * rnd.nextDouble() - 1);
            return new Measurement(cost.applyAsDouble(s) * jitter * sig.n() / 2048.0, noise, 9);
        }
    }

    /** Distance in value indices from the optimum, per gene, weighted: a smooth bowl with one minimum at OPTIMUM. */
    static double bowl(LinearSchedule s) {
        int[] g = SPACE.encode(s), o = SPACE.encode(OPTIMUM);
        List<Gene> genes = SPACE.genes();
        if (!s.nativeBackend()) return 2000 * (1 + 0.05 * Math.abs(g[1] - 3) + 0.05 * Math.abs(g[2] - 2));
        double c = 1000;
        double[] w = {0, 0, 0, 0.05, 0.08, 0.06, 0}; // ngrain, pg, pt (dg does not run at T = 128)
        for (int i = 1; i < genes.size(); i++) c += 1000 * w[i] * Math.abs(g[i] - o[i]);
        return c;
    }

    @Test
    void findsTheOptimumWithinBudget() {
        Fake fake = new Fake(TunerTest::bowl, 0.005);
        long budget = 15_000_000_000L; // 300 measurements of 50 ms
        var tuner = new Tuner<>(SPACE, fake, Tuner.Options.of(budget, Seeds.seed("tuner-optimum")), () -> fake.now, List.of());
        var results = tuner.tune(List.of(A, B), (f, s) -> {});
        assertThat(fake.now).as("fake time spent").isLessThanOrEqualTo(budget + COST_NS);
        assertThat(results).hasSize(2);
        for (var r : results) {
            assertThat(r.tuned()).as(r.sig() + " after " + r.steps().size() + " measurements").isEqualTo(OPTIMUM);
            assertThat(r.improved()).isTrue();
            assertThat(r.baseline()).isEqualTo(LinearSchedule.nativeTile(1, 8, 4, 0)); // native default beats the JVM's here
            assertThat(r.speedup()).isGreaterThan(1.3);
            assertThat(r.steps().stream().filter(s -> s.phase().equals("model"))).isNotEmpty();
        }
    }

    @Test
    void neverInstallsACandidateSlowerThanTheDefault() {
        // the native default is the optimum: everything else is slower
        LinearSchedule dflt = LinearSchedule.nativeTile(1, 8, 4, 0);
        Fake fake = new Fake(s -> s.equals(dflt) ? 900 : bowl(s), 0.005);
        var r = new Tuner<>(SPACE, fake, Tuner.Options.of(5_000_000_000L, Seeds.seed("tuner-default-best")), () -> fake.now, List.of())
                .tune(List.of(A), (f, s) -> {}).getFirst();
        assertThat(r.tuned()).isEqualTo(dflt);
        assertThat(r.improved()).isFalse();
        assertThat(r.tunedNs()).isEqualTo(r.baselineNs());
    }

    @Test
    void aWinInsideTheNoiseIsNotInstalled() {
        // one candidate is 5% faster, but every measurement varies by +-8%: the confirmation pairs disagree
        LinearSchedule dflt = LinearSchedule.nativeTile(1, 8, 4, 0), near = LinearSchedule.nativeTile(1, 8, 4, 8);
        Fake fake = new Fake(s -> s.equals(near) ? 950 : s.equals(dflt) ? 1000 : 1500, 0.08);
        var r = new Tuner<>(SPACE, fake, Tuner.Options.of(5_000_000_000L, Seeds.seed("tuner-noise")), () -> fake.now, List.of())
                .tune(List.of(A), (f, s) -> {}).getFirst();
        assertThat(r.tuned()).isEqualTo(dflt);
        assertThat(r.improved()).isFalse();
    }

    @Test
    void respectsTinyBudgetsAndSkipsCandidatesThatCannotRun() {
        // 0.2 s: the two defaults of one signature and a couple more at most; native 3-group tiles "do not build"
        Fake inner = new Fake(TunerTest::bowl, 0.005);
        Measurer<LinearSchedule> failing = (sig, s) -> {
            if (s.nativeBackend() && s.groups() == 3) throw new IllegalStateException("does not build");
            return inner.measure(sig, s);
        };
        var results = new Tuner<>(SPACE, failing, Tuner.Options.of(200_000_000L, 7), () -> inner.now, List.of())
                .tune(List.of(A, B), (f, s) -> {});
        assertThat(inner.now).isLessThanOrEqualTo(200_000_000L + COST_NS);
        for (var r : results) assertThat(r.improved()).isFalse(); // nothing confirmed in 0.2 s
        // a zero budget measures nothing and reports nothing
        Fake none = new Fake(TunerTest::bowl, 0.005);
        assertThat(new Tuner<>(SPACE, none, Tuner.Options.of(1, 7), () -> none.now, List.of()).tune(List.of(A), (f, s) -> {})).isEmpty();
        assertThat(none.calls).isZero();
    }
}
