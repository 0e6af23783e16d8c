package dev.ingot.runtime.sample;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How to pick tokens for one request. Immutable and validated on construction: every invalid value is
 * rejected with an {@link IllegalArgumentException} whose message names the parameter, the value and the
 * allowed range, so the CLI and the HTTP server can show it to the user unchanged.
 *
 * <p>Names follow the OpenAI API where it has the parameter, vLLM/llama.cpp otherwise.
 *
 * @param temperature       softmax temperature; 0 (or below 1e-5) means greedy argmax
 * @param topK              keep the k most likely tokens; 0 disables (-1 is accepted as vLLM's "disabled")
 * @param topP              nucleus: keep the smallest set of most likely tokens whose mass reaches topP; 1 disables
 * @param minP              keep tokens with probability at least minP times the top token's; 0 disables
 * @param repetitionPenalty llama.cpp-style: positive logits are divided by it, negative ones multiplied; 1 disables
 * @param penaltyWindow     how many of the most recent history tokens the penalties look at; -1 = all
 * @param presencePenalty   OpenAI: subtracted once from the logit of every token seen in the window
 * @param frequencyPenalty  OpenAI: subtracted once per occurrence in the window
 * @param seed              seed of the request's random stream; empty = nondeterministic
 * @param logprobs          report the chosen token's logprob
 * @param topLogprobs       also report the N most likely tokens (0..20; needs logprobs)
 * @param stop              stop strings; the text is cut before the first one that completes
 * @param stopTokenIds      token ids that end the request (in addition to EOS unless ignoreEos)
 * @param maxTokens         most tokens to generate (still bounded by the context length)
 * @param ignoreEos         keep generating past the end-of-sequence token
 */
public record SamplingParams(
        double temperature, int topK, double topP, double minP,
        double repetitionPenalty, int penaltyWindow, double presencePenalty, double frequencyPenalty,
        OptionalLong seed, boolean logprobs, int topLogprobs,
        List<String> stop, Set<Integer> stopTokenIds, int maxTokens, boolean ignoreEos) {

    /** Temperatures below this are treated as greedy (as vLLM does): dividing by them overflows float. */
    public static final double GREEDY_EPSILON = 1e-5;
    /** The OpenAI API's upper bound for top_logprobs. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public SamplingParams {
        check(Double.isFinite(temperature) && temperature >= 0,
                "temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
        check(topK >= -1, "top_k must be >= 1, or 0 / -1 to disable, got " + topK);
        if (topK == -1) topK = 0;
        check(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        check(minP >= 0 && minP <= 1, "min_p must be in [0, 1], got " + minP);
        check(Double.isFinite(repetitionPenalty) && repetitionPenalty > 0,
                "repetition_penalty must be > 0 (1 = off), got " + repetitionPenalty);
        check(penaltyWindow >= -1, "penalty window must be >= 0, or -1 for the whole history, got " + penaltyWindow);
        check(presencePenalty >= -2 && presencePenalty <= 2,
                "presence_penalty must be in [-2, 2], got " + presencePenalty);
        check(frequencyPenalty >= -2 && frequencyPenalty <= 2,
                "frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        check(seed != null, "seed must not be null (use OptionalLong.empty())");
        check(topLogprobs >= 0 && topLogprobs <= MAX_TOP_LOGPROBS,
                "top_logprobs must be in [0, " + MAX_TOP_LOGPROBS + "], got " + topLogprobs);
        check(topLogprobs == 0 || logprobs, "top_logprobs needs logprobs to be enabled");
        check(stop != null, "stop must not be null");
        for (String s : stop) check(s != null && !s.isEmpty(), "stop strings must not be empty");
        check(stopTokenIds != null, "stop_token_ids must not be null");
        for (Integer id : stopTokenIds) check(id != null && id >= 0, "stop_token_ids must be >= 0, got " + id);
        check(maxTokens >= 1, "max_tokens must be >= 1, got " + maxTokens);
        stop = List.copyOf(stop);
        stopTokenIds = Set.copyOf(stopTokenIds);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Greedy decoding with no limits other than the context length. */
    public static SamplingParams greedy() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature; b.topK = topK; b.topP = topP; b.minP = minP;
        b.repetitionPenalty = repetitionPenalty; b.penaltyWindow = penaltyWindow;
        b.presencePenalty = presencePenalty; b.frequencyPenalty = frequencyPenalty; b.seed = seed;
        b.logprobs = logprobs; b.topLogprobs = topLogprobs; b.stop = stop; b.stopTokenIds = stopTokenIds;
        b.maxTokens = maxTokens; b.ignoreEos = ignoreEos;
        return b;
    }

    public boolean isGreedy() {
        return temperature < GREEDY_EPSILON;
    }

    /** True when the penalties can change a logit at all (lets the sampler skip counting the history). */
    public boolean hasPenalties() {
        return penaltyWindow != 0 && (repetitionPenalty != 1 || presencePenalty != 0 || frequencyPenalty != 0);
    }

    /** Mutable builder; {@link #build()} validates. Defaults: greedy, no penalties, no stops. */
    public static final class Builder {
        private double temperature = 0, topP = 1, minP = 0;
        private int topK = 0, penaltyWindow = -1, topLogprobs = 0, maxTokens = Integer.MAX_VALUE;
        private double repetitionPenalty = 1, presencePenalty = 0, frequencyPenalty = 0;
        private OptionalLong seed = OptionalLong.empty();
        private boolean logprobs, ignoreEos;
        private List<String> stop = List.of();
        private Set<Integer> stopTokenIds = Set.of();

        private Builder() {}

        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder minP(double v) { minP = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder penaltyWindow(int v) { penaltyWindow = v; return this; }
        public Builder presencePenalty(double v) { presencePenalty = v; return this; }
        public Builder frequencyPenalty(double v) { frequencyPenalty = v; return this; }
        public Builder seed(long v) { seed = OptionalLong.of(v); return this; }
        public Builder seed(OptionalLong v) { seed = v; return this; }
        public Builder logprobs(boolean v) { logprobs = v; return this; }
        /** Sets top_logprobs and, when n > 0, turns logprobs on. */
        public Builder topLogprobs(int n) { topLogprobs = n; if (n > 0) logprobs = true; return this; }
        public Builder stop(List<String> v) { stop = v; return this; }
        public Builder stop(String... v) { stop = List.of(v); return this; }
        public Builder stopTokenIds(Set<Integer> v) { stopTokenIds = v; return this; }
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }

        public SamplingParams build() {
            return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, penaltyWindow,
                    presencePenalty, frequencyPenalty, seed, logprobs, topLogprobs, stop, stopTokenIds,
                    maxTokens, ignoreEos);
        }
    }
}
