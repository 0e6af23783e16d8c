package dev.ingot.runtime.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks tokens for one request. Holds the request's random stream (seeded from
 * {@link SamplingParams#seed()} when given, so a seeded request replays exactly) and scratch buffers
 * sized to the vocabulary, so a step allocates nothing proportional to the vocabulary. Not thread-safe:
 * one sampler per request, used by the engine thread.
 *
 * <p>The caller's logits are never modified; they are copied into a scratch buffer first.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    private float[] work = new float[0];
    private int[] ids = new int[0];
    private float[] probs = new float[0]; // unnormalised exp terms of the draw
    private final Nucleus nucleusFinder = new Nucleus();

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = params.seed().isPresent() ? new SplittableRandom(params.seed().getAsLong()) : new SplittableRandom();
    }

    public SamplingParams params() {
        return params;
    }

    /** Samples with no history (no penalties apply). */
    public Sample sample(float[] logits) {
        return sample(logits, new int[0], 0);
    }

    /**
     * Samples the next token from {@code logits} ({@code [vocab]}); {@code history[0, historyLength)} are the
     * tokens the penalties count (pass the generated tokens for OpenAI semantics, prompt + generated for
     * llama.cpp's). Throws {@link IllegalStateException} when every logit is -inf or NaN.
     */
    public Sample sample(float[] logits, int[] history, int historyLength) {
        int n = prepare(logits, history, historyLength);
        int token;
        if (params.isGreedy()) {
            token = argmax(work, n);
        } else {
            token = draw(work, truncate(work, n));
        }
        if (!params.logprobs()) return new Sample(token, Double.NaN, List.of());
        return withLogprobs(token, n);
    }

    /** The ids top-k/top-p/min-p keep (ascending), for tests against a brute-force reference. */
    int[] keptTokens(float[] logits, int[] history, int historyLength) {
        int n = prepare(logits, history, historyLength);
        if (params.isGreedy()) return new int[] {argmax(work, n)};
        int count = truncate(work, n);
        if (count < 0) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] kept = Arrays.copyOf(ids, count);
        Arrays.sort(kept);
        return kept;
    }

    /** Copies logits to the scratch buffer (NaN -> -inf), applies penalties and temperature. */
    private int prepare(float[] logits, int[] history, int historyLength) {
        int n = logits.length;
        if (n == 0) throw new IllegalArgumentException("empty logits");
        if (work.length != n) {
            work = new float[n];
            ids = new int[n];
            probs = new float[n];
        }
        float[] w = work;
        float t = params.isGreedy() ? 1f : (float) params.temperature();
        // NaN becomes -inf (it would poison every sum below, and can never be chosen); penalties go before
        // the temperature, so with penalties the division is a second pass
        if (params.hasPenalties() && historyLength > 0) {
            VecMath.prepare(logits, w, n, 1f);
            Penalties.apply(w, history, historyLength, params);
            if (t != 1f) VecMath.prepare(w, w, n, t);
        } else {
            VecMath.prepare(logits, w, n, t);
        }
        return n;
    }

    /** Lowest id among the maximal logits. */
    static int argmax(float[] w, int n) {
        float max = VecMath.max(w, n);
        if (max == Float.NEGATIVE_INFINITY) throw allMasked();
        return VecMath.indexOf(w, n, max); // the first index holding the max: lowest id wins ties
    }

    /**
     * Top-k, then top-p, then min-p. Leaves the kept ids in {@code ids[0, count)} and returns count, or -1
     * when nothing is cut (sample from the whole vocabulary without building an id list).
     */
    private int truncate(float[] w, int n) {
        int k = params.topK() > 0 && params.topK() < n ? params.topK() : 0;
        boolean nucleus = params.topP() < 1;
        double logMinP = params.minP() > 0 ? Math.log(params.minP()) : Double.NEGATIVE_INFINITY;
        int count;
        if (k == 0 && !nucleus) {
            if (params.minP() <= 0) return -1;
            // min-p alone: one pass for the max, one to collect; no ordering needed
            float max = w[argmax(w, n)];
            count = 0;
            for (int i = 0; i < n; i++) if ((double) w[i] - max >= logMinP) ids[count++] = i;
            return count;
        }
        if (k > 0) {
            count = TopSelect.select(w, n, k, ids);
            if (w[ids[0]] == Float.NEGATIVE_INFINITY) throw allMasked();
            // llama.cpp and vLLM renormalise over the top-k survivors before top-p
            if (nucleus) count = nucleusCut(w, count, logSumExp(w, ids, count));
        } else {
            double logZ = logSumExp(w, n);
            count = nucleusFinder.candidates(w, n, probs, params.topP(), ids);
            if (count < n && massOf(w, count, logZ) < params.topP()) {
                // float rounding in the histogram fell short of the nucleus: select over everything
                count = TopSelect.select(w, n, n, ids);
            }
            count = nucleusCut(w, count, logZ);
        }
        if (params.minP() > 0) {
            float max = w[ids[0]];
            while (count > 1 && (double) w[ids[count - 1]] - max < logMinP) count--;
        }
        return count;
    }

    private double massOf(float[] w, int count, double logZ) {
        double mass = 0;
        for (int j = 0; j < count; j++) mass += Math.exp(w[ids[j]] - logZ);
        return mass;
    }

    /** Keeps candidate j (best first) while the mass before it is below top_p; always keeps one. */
    private int nucleusCut(float[] w, int count, double logZ) {
        double cum = 0;
        for (int j = 0; j < count; j++) {
            if (j > 0 && cum >= params.topP()) return j;
            cum += Math.exp(w[ids[j]] - logZ);
        }
        return count;
    }

    /** Draws from softmax over the kept ids ({@code count < 0}: the whole vocabulary). */
    private int draw(float[] w, int count) {
        int size = count < 0 ? w.length : count;
        double total;
        if (count < 0) {
            float max = VecMath.max(w, size);
            if (max == Float.NEGATIVE_INFINITY) throw allMasked();
            total = VecMath.sumExp(w, size, max, probs);
        } else {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) max = Math.max(max, w[ids[j]]);
            if (max == Float.NEGATIVE_INFINITY) throw allMasked();
            total = 0;
            for (int j = 0; j < size; j++) total += probs[j] = (float) Math.exp(w[ids[j]] - max);
        }
        // inverse CDF over probs[j], which belongs to token (count < 0 ? j : ids[j])
        double u = random.nextDouble() * total;
        int last = -1;
        for (int j = 0; j < size; j++) {
            float e = probs[j];
            if (e == 0) continue;
            last = count < 0 ? j : ids[j];
            u -= e;
            if (u < 0) return last;
        }
        return last; // rounding left u a hair above zero: the last token with mass
    }

    private Sample withLogprobs(int token, int n) {
        double logZ = logSumExp(work, n);
        List<Sample.TokenLogprob> top = new ArrayList<>(params.topLogprobs());
        int count = TopSelect.select(work, n, params.topLogprobs(), ids);
        for (int j = 0; j < count; j++) top.add(new Sample.TokenLogprob(ids[j], work[ids[j]] - logZ));
        return new Sample(token, work[token] - logZ, top);
    }

    static double logSumExp(float[] w, int n) {
        float max = VecMath.max(w, n);
        if (max == Float.NEGATIVE_INFINITY) throw allMasked();
        return max + Math.log(VecMath.sumExp(w, n, max, null));
    }

    private static double logSumExp(float[] w, int[] ids, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) max = Math.max(max, w[ids[j]]);
        double s = 0;
        for (int j = 0; j < count; j++) s += Math.exp(w[ids[j]] - max);
        return max + Math.log(s);
    }

    private static IllegalStateException allMasked() {
        return new IllegalStateException("every logit is -inf or NaN: nothing can be sampled");
    }
}
