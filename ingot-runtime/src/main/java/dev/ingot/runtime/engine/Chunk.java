package dev.ingot.runtime.engine;

import dev.ingot.runtime.sample.Sample;
import dev.ingot.runtime.scheduler.FinishReason;
import java.util.List;

/**
 * What one step produced for one choice of a request: the unit of streaming. Text is UTF-8 safe (never half a
 * character) and never contains any part of a stop string; it may be empty while text is held back.
 *
 * @param index        the choice, {@code 0..n-1}
 * @param text         text that became final in this step
 * @param tokenIds     tokens sampled in this step (usually one; empty for an abort); every sampled token is
 *                     reported, including an end-of-generation or stop token whose text is not shown
 * @param logprobs     per token its logprob and top alternatives when requested, else empty
 * @param finishReason null while the choice goes on; STOP (EOS, stop token, stop string), LENGTH, ABORT
 * @param stopReason   what stopped a STOP choice: the stop string, or the stop token id as text; null for
 *                     end-of-generation tokens and other reasons (the OpenAI / vLLM {@code stop_reason})
 */
public record Chunk(int index, String text, int[] tokenIds, List<Sample> logprobs, FinishReason finishReason, String stopReason) {
    public Chunk {
        logprobs = List.copyOf(logprobs);
    }

    /** Read-only by contract; not copied (one chunk per token on the hot path). */
    @Override
    public int[] tokenIds() {
        return tokenIds;
    }

    public boolean finished() {
        return finishReason != null;
    }
}
