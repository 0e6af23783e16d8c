package dev.ingot.runtime.sample;

import java.util.List;

/**
 * One sampled token.
 *
 * @param token       the chosen token id
 * @param logprob     its log-probability under the processed distribution (see the package doc);
 *                    NaN when logprobs were not requested
 * @param topLogprobs the most likely tokens, best first (lowest id on ties); empty unless requested
 */
public record Sample(int token, double logprob, List<TokenLogprob> topLogprobs) {
    public Sample {
        topLogprobs = List.copyOf(topLogprobs);
    }

    /** A token and its log-probability. */
    public record TokenLogprob(int token, double logprob) {}
}
