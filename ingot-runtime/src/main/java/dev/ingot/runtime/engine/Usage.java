package dev.ingot.runtime.engine;

/**
 * Token accounting of one request (the OpenAI {@code usage} object).
 *
 * @param promptTokens       tokens in the prompt
 * @param completionTokens   tokens sampled over all choices
 * @param cachedPromptTokens prompt tokens whose K/V came from the prefix cache at first admission
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
