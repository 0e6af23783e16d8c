package dev.ingot.runtime.sample;

import java.util.Arrays;

/**
 * Repetition, presence and frequency penalties over the last {@code window} tokens of the history.
 * Each distinct token in the window is touched once, so a step costs O(w log w), independent of the vocabulary.
 */
final class Penalties {
    private Penalties() {}

    /**
     * Applies the penalties of {@code p} to {@code logits} in place. The repetition penalty goes first
     * (llama.cpp: divide a positive logit, multiply a negative one), then OpenAI's
     * {@code logit - presence * [count > 0] - frequency * count}.
     */
    static void apply(float[] logits, int[] history, int length, SamplingParams p) {
        if (length > history.length) {
            throw new IllegalArgumentException("history length " + length + " exceeds the array's " + history.length);
        }
        int from = p.penaltyWindow() < 0 ? 0 : Math.max(0, length - p.penaltyWindow());
        int[] window = Arrays.copyOfRange(history, from, length);
        Arrays.sort(window);
        double rep = p.repetitionPenalty();
        for (int i = 0; i < window.length; ) {
            int token = window[i];
            int j = i;
            while (j < window.length && window[j] == token) j++;
            int count = j - i;
            i = j;
            if (token < 0 || token >= logits.length) {
                throw new IllegalArgumentException("history token " + token + " is outside the vocabulary [0, "
                        + logits.length + ")");
            }
            double x = logits[token];
            if (rep != 1) x = x > 0 ? x / rep : x * rep;
            x -= count * p.frequencyPenalty() + p.presencePenalty();
            logits[token] = (float) x;
        }
    }
}
