/**
 * Token sampling: turning one step's logits into the next token, and stop-string handling for streams.
 *
 * <p>{@link dev.ingot.runtime.sample.SamplingParams} is the validated, plain-data request (what the CLI and
 * the OpenAI server build; its {@link java.lang.IllegalArgumentException} messages are meant for users).
 * {@link dev.ingot.runtime.sample.Sampler} is per request (it owns the request's random stream) and
 * processes logits in the order llama.cpp and vLLM use:
 * <pre>
 *   NaN -> -inf, penalties (repetition, presence, frequency) over the history window
 *   -> temperature (0 = greedy argmax, lowest id on ties) -> top-k -> top-p -> min-p -> draw
 * </pre>
 * Reported logprobs are the log-softmax of the logits after penalties and temperature, before the
 * truncation by top-k/top-p/min-p (so alternatives outside the nucleus still get a finite value).
 * Nothing sorts the whole vocabulary unless top-p really needs all of it: top-k is a bounded heap
 * ({@code TopSelect}), top-p alone sorts only the tokens of the histogram buckets that hold the nucleus
 * ({@code Nucleus}), and the vocabulary-wide passes (NaN mask, temperature, max, exp-sum) run on the Vector
 * API ({@code VecMath}), so {@code --add-modules jdk.incubator.vector} is required as everywhere in Ingot.
 *
 * <p>{@link dev.ingot.runtime.sample.StopMatcher} holds back text that could still become a stop string
 * and emits the rest, so a streaming client never sees part of a stop string.
 */
package dev.ingot.runtime.sample;
