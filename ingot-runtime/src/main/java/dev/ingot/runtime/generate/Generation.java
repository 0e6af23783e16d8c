package dev.ingot.runtime.generate;

/**
 * The outcome of one generation.
 *
 * @param tokens       generated token ids (the stop token included when generation ended on one)
 * @param text         the generated text as emitted (stop strings removed)
 * @param finishReason "stop" (end-of-generation token or stop string) or "length" (max tokens or context)
 * @param promptNanos  time to process the prompt (prefill), up to the first sampled token
 * @param decodeNanos  time for the remaining tokens
 */
public record Generation(int[] tokens, String text, String finishReason, int promptTokens, long promptNanos, long decodeNanos) {
    public double promptTokensPerSecond() { return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos; }

    /** Tokens after the first over the decode time (the first comes out of the prefill). */
    public double decodeTokensPerSecond() { return tokens.length <= 1 || decodeNanos == 0 ? 0 : (tokens.length - 1) * 1e9 / decodeNanos; }
}
