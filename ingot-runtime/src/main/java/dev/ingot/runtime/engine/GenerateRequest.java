package dev.ingot.runtime.engine;

import dev.ingot.runtime.sample.SamplingParams;

/**
 * One generation request as the embedding application (or the HTTP layer) submits it: plain data, validated
 * for shape here and against the model and context by {@link Engine#submit}.
 *
 * <p>The prompt is either token ids ({@code promptTokenIds}) or text ({@code prompt}), never both. Text is
 * tokenized on the submitting thread with special-token text parsed (chat-template output such as
 * {@code <|im_start|>} becomes its ids); {@code addSpecialTokens} adds BOS/EOS as the vocabulary asks.
 *
 * @param id               unique among live requests; null = the engine assigns {@code "req-N"}
 * @param promptTokenIds   the prompt as token ids, or null when {@code prompt} is given
 * @param prompt           the prompt as text, or null
 * @param addSpecialTokens for a text prompt: add BOS (and EOS) as the vocabulary's metadata says
 * @param sampling         sampling, stop conditions, logprobs, seed; {@code maxTokens} left at its default
 *                         ({@link Integer#MAX_VALUE}) means "until the context is full"
 * @param n                parallel samples (choices) from the same prompt, prefilled once
 * @param priority         for the PRIORITY policy: smaller is served first (vLLM's convention)
 * @param cacheSalt        prefix-cache namespace: only requests with equal salts share prompt blocks
 */
public record GenerateRequest(String id, int[] promptTokenIds, String prompt, boolean addSpecialTokens,
                              SamplingParams sampling, int n, int priority, String cacheSalt) {
    public GenerateRequest {
        if ((promptTokenIds == null) == (prompt == null)) {
            throw new IllegalArgumentException("give exactly one of prompt token ids and prompt text");
        }
        if (sampling == null) throw new IllegalArgumentException("sampling params must be given");
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (id != null && id.isEmpty()) throw new IllegalArgumentException("request id must not be empty (null = assign one)");
        if (cacheSalt == null) cacheSalt = "";
        if (promptTokenIds != null) promptTokenIds = promptTokenIds.clone();
    }

    @Override
    public int[] promptTokenIds() {
        return promptTokenIds == null ? null : promptTokenIds.clone();
    }

    public static Builder tokens(int... promptTokenIds) {
        return new Builder(promptTokenIds, null);
    }

    public static Builder text(String prompt) {
        return new Builder(null, prompt);
    }

    /** Defaults: greedy, n = 1, priority 0, special tokens added for text, no salt, engine-assigned id. */
    public static final class Builder {
        private final int[] ids;
        private final String prompt;
        private String id, cacheSalt = "";
        private boolean addSpecialTokens = true;
        private SamplingParams sampling = SamplingParams.greedy();
        private int n = 1, priority;

        private Builder(int[] ids, String prompt) {
            this.ids = ids;
            this.prompt = prompt;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder addSpecialTokens(boolean v) { addSpecialTokens = v; return this; }
        public Builder sampling(SamplingParams v) { sampling = v; return this; }
        public Builder n(int v) { n = v; return this; }
        public Builder priority(int v) { priority = v; return this; }
        public Builder cacheSalt(String v) { cacheSalt = v; return this; }

        public GenerateRequest build() {
            return new GenerateRequest(id, ids, prompt, addSpecialTokens, sampling, n, priority, cacheSalt);
        }
    }
}
