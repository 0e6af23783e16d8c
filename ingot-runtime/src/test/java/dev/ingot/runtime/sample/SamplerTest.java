package dev.ingot.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyBreaksExactTiesByLowestId() {
        float[] logits = {1f, 5f, -2f, 5f, 5f, Float.NaN};
        Sample s = new Sampler(SamplingParams.greedy()).sample(logits);
        assertThat(s.token()).isEqualTo(1);
        assertThat(s.logprob()).isNaN();
        assertThat(s.topLogprobs()).isEmpty();
    }

    @Test
    void callerLogitsAreNotModified() {
        float[] logits = Seeds.floats(Seeds.random("sampler.nomodify"), 100, 4);
        float[] copy = logits.clone();
        new Sampler(SamplingParams.builder().temperature(0.5).topK(10).presencePenalty(1).seed(1).build())
                .sample(logits, new int[] {1, 2, 3}, 3);
        assertThat(logits).containsExactly(copy);
    }

    @Test
    void temperatureTowardsZeroConvergesToGreedy() {
        Random r = Seeds.random("sampler.temp0");
        for (int trial = 0; trial < 20; trial++) {
            float[] logits = Seeds.floats(r, 500, 3);
            int greedy = new Sampler(SamplingParams.greedy()).sample(logits).token();
            logits[greedy] += 0.05f; // a gap of >= 0.05: at T = 1e-3 the runner-up is e^-50 less likely
            for (double t : new double[] {1e-3, 2e-5}) {
                Sampler s = new Sampler(SamplingParams.builder().temperature(t).seed(trial).build());
                assertThat(s.params().isGreedy()).isFalse();
                for (int i = 0; i < 5; i++) assertThat(s.sample(logits).token()).as("T=%s trial %d", t, trial).isEqualTo(greedy);
            }
            // and at T = 1 the same logits do not always give the argmax (so the check above can fail)
            Sampler hot = new Sampler(SamplingParams.builder().temperature(1).seed(trial).build());
            boolean other = false;
            for (int i = 0; i < 50 && !other; i++) other = hot.sample(logits).token() != greedy;
            assertThat(other).isTrue();
        }
    }

    @Test
    void allMaskedLogitsAreAClearError() {
        float[] logits = {Float.NEGATIVE_INFINITY, Float.NaN};
        assertThatThrownBy(() -> new Sampler(SamplingParams.greedy()).sample(logits))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("every logit is -inf or NaN");
        assertThatThrownBy(() -> new Sampler(SamplingParams.builder().temperature(1).topK(1).build()).sample(logits))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void truncationMatchesBruteForceReference() {
        Random r = Seeds.random("sampler.masks");
        int[] vocabs = {1, 13, 207, 1000};
        for (int trial = 0; trial < 400; trial++) {
            int n = vocabs[trial % vocabs.length];
            float[] logits = Seeds.floats(r, n, 1 + r.nextInt(8));
            if (trial % 7 == 0 && n > 3) logits[r.nextInt(n)] = Float.NEGATIVE_INFINITY;
            int topK = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(Math.max(1, n + 2));
            double topP = r.nextInt(4) == 0 ? 1 : 0.05 + 0.95 * r.nextDouble();
            double minP = r.nextInt(3) == 0 ? 0 : 0.3 * r.nextDouble();
            double temp = 0.2 + 2 * r.nextDouble();
            SamplingParams p = SamplingParams.builder().temperature(temp).topK(topK).topP(topP).minP(minP).seed(trial).build();
            assertKept(new Sampler(p).keptTokens(logits, new int[0], 0), new Reference(logits, p.temperature()), p,
                    String.format("trial %d n=%d k=%d p=%s minP=%s T=%s", trial, n, topK, topP, minP, temp));
        }
    }

    @Test
    void topPAloneOnLargeVocabularyMatchesReference() {
        // 150k: the histogram must find the nucleus for flat and for peaked distributions
        Random r = Seeds.random("sampler.bigvocab");
        float[] flat = Seeds.floats(r, 150_000, 2);
        float[] peaked = flat.clone();
        for (int j = 0; j < 30; j++) peaked[r.nextInt(peaked.length)] += 9 + j * 0.1f; // a few dominant tokens
        for (float[] logits : new float[][] {flat, peaked}) {
            Reference ref = new Reference(logits, 0.9);
            for (double topP : new double[] {0.001, 0.5, 0.95, 0.9999}) {
                SamplingParams p = SamplingParams.builder().temperature(0.9).topP(topP).build();
                assertKept(new Sampler(p).keptTokens(logits, new int[0], 0), ref, p, "top_p=" + topP);
            }
        }
    }

    /**
     * The sampler sums probabilities in float (Vector API), the reference in double; a token whose mass
     * before it is within 1e-6 of top_p may fall either way, nothing else may differ.
     */
    private static void assertKept(int[] kept, Reference ref, SamplingParams p, String what) {
        double slack = p.topP() < 1 ? 1e-6 : 0;
        int[] strict = ref.kept(p.topK(), p.topP() - slack, p.minP());
        int[] loose = ref.kept(p.topK(), p.topP() + slack, p.minP());
        assertThat(kept).as(what + ": sorted, no duplicates").isSorted().doesNotHaveDuplicates();
        assertThat(missing(strict, kept)).as(what + ": tokens that must be kept but were not").isEmpty();
        assertThat(missing(kept, loose)).as(what + ": tokens kept that the reference cuts").isEmpty();
    }

    /** Elements of sorted {@code a} absent from sorted {@code b} (AssertJ's contains is quadratic). */
    private static List<Integer> missing(int[] a, int[] b) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) if (Arrays.binarySearch(b, x) < 0) out.add(x);
        return out;
    }

    /** Full sort, softmax in double, the three cuts in order: deliberately the obvious way. */
    static final class Reference {
        final float[] w;
        final List<Integer> order;

        Reference(float[] logits, double temperature) {
            float t = (float) temperature;
            w = new float[logits.length];
            for (int i = 0; i < w.length; i++) w[i] = logits[i] / t;
            Integer[] ids = new Integer[w.length];
            Arrays.setAll(ids, i -> i);
            Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -w[i]).thenComparingInt(i -> i));
            order = List.of(ids);
        }

        int[] kept(int topK, double topP, double minP) {
            List<Integer> kept = new ArrayList<>(order);
            if (topK > 0 && topK < w.length) kept = new ArrayList<>(kept.subList(0, topK));
            if (topP < 1) {
                double z = 0;
                for (int id : kept) z += Math.exp((double) w[id] - w[kept.get(0)]);
                double cum = 0;
                int cut = kept.size();
                for (int j = 0; j < kept.size(); j++) {
                    if (j > 0 && cum >= topP) { cut = j; break; }
                    cum += Math.exp((double) w[kept.get(j)] - w[kept.get(0)]) / z;
                }
                kept = new ArrayList<>(kept.subList(0, cut));
            }
            if (minP > 0) {
                double top = w[kept.get(0)];
                kept.removeIf(id -> Math.exp(w[id] - top) < minP);
            }
            return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
        }
    }

    @Test
    void temperatureSamplingMatchesSoftmaxByChiSquare() {
        float[] logits = {1.0f, 0.2f, -0.5f, 2.0f, 0.0f, -1.5f, 1.3f, 0.7f};
        double temp = 0.8;
        assertChiSquare(logits, SamplingParams.builder().temperature(temp).seed(Seeds.seed("sampler.chi2")).build(),
                softmax(logits, temp, null));
        // with top-k = 3 the survivors are renormalised: ids 3, 6, 0
        assertChiSquare(logits, SamplingParams.builder().temperature(temp).topK(3).seed(Seeds.seed("sampler.chi2.topk")).build(),
                softmax(logits, temp, new int[] {3, 6, 0}));
    }

    private static void assertChiSquare(float[] logits, SamplingParams p, double[] expectedProb) {
        int draws = 40_000;
        int[] counts = new int[logits.length];
        Sampler s = new Sampler(p);
        for (int i = 0; i < draws; i++) counts[s.sample(logits).token()]++;
        double chi2 = 0;
        int df = -1;
        for (int i = 0; i < logits.length; i++) {
            if (expectedProb[i] == 0) {
                assertThat(counts[i]).as("token %d is outside the kept set", i).isZero();
                continue;
            }
            double e = draws * expectedProb[i];
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            df++;
        }
        // 99.9% quantiles of chi-square for df = 2 and 7: a correct sampler fails 1 seed in 1000
        double critical = df == 2 ? 13.82 : 24.32;
        assertThat(chi2).as("chi2 with df=%d, counts=%s, expected=%s", df, Arrays.toString(counts),
                Arrays.toString(expectedProb)).isLessThan(critical);
    }

    private static double[] softmax(float[] logits, double temp, int[] only) {
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < logits.length; i++) {
            int id = i;
            if (only != null && Arrays.stream(only).noneMatch(x -> x == id)) continue;
            p[i] = Math.exp(logits[i] / temp);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    @Test
    void sameSeedReplaysDifferentSeedDiverges() {
        Random r = Seeds.random("sampler.determinism");
        float[][] steps = new float[100][];
        for (int i = 0; i < steps.length; i++) steps[i] = Seeds.floats(r, 2000, 3);
        SamplingParams p = SamplingParams.builder().temperature(1.0).topP(0.95).topK(200).seed(42).build();
        int[] a = run(new Sampler(p), steps), b = run(new Sampler(p), steps);
        int[] c = run(new Sampler(p.toBuilder().seed(43).build()), steps);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static int[] run(Sampler s, float[][] steps) {
        int[] out = new int[steps.length];
        for (int i = 0; i < steps.length; i++) out[i] = s.sample(steps[i], out, i).token();
        return out;
    }

    @Test
    void logprobsAreLogSoftmaxOfProcessedLogitsAndNormalised() {
        float[] logits = Seeds.floats(Seeds.random("sampler.logprobs"), 12, 3);
        double temp = 0.7;
        SamplingParams p = SamplingParams.builder().temperature(temp).topK(2).topLogprobs(20).seed(5).build();
        Sample s = new Sampler(p).sample(logits);
        assertThat(s.topLogprobs()).hasSize(12); // clamped to the vocabulary, not cut by top-k
        double sum = s.topLogprobs().stream().mapToDouble(t -> Math.exp(t.logprob())).sum();
        assertThat(sum).isCloseTo(1.0, within(1e-6)); // the normaliser's exp terms are float (Vector API)
        double[] ref = softmax(logits, temp, null);
        for (Sample.TokenLogprob t : s.topLogprobs()) {
            assertThat(t.logprob()).as("token %d", t.token()).isCloseTo(Math.log(ref[t.token()]), within(1e-5));
        }
        for (int j = 1; j < s.topLogprobs().size(); j++) {
            assertThat(s.topLogprobs().get(j).logprob()).isLessThanOrEqualTo(s.topLogprobs().get(j - 1).logprob());
        }
        assertThat(s.logprob()).isCloseTo(Math.log(ref[s.token()]), within(1e-5));
    }

    @Test
    void greedyLogprobsUseUnscaledLogits() {
        float[] logits = {0f, (float) Math.log(3)};
        Sample s = new Sampler(SamplingParams.builder().logprobs(true).topLogprobs(1).build()).sample(logits);
        assertThat(s.token()).isEqualTo(1);
        assertThat(s.logprob()).isCloseTo(Math.log(0.75), within(1e-6));
        assertThat(s.topLogprobs()).extracting(Sample.TokenLogprob::token).containsExactly(1);
    }
}
