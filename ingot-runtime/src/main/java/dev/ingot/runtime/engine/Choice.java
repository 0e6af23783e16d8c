package dev.ingot.runtime.engine;

import dev.ingot.runtime.sample.Sample;
import dev.ingot.runtime.scheduler.FinishReason;
import java.util.List;

/**
 * One finished choice: everything its {@link Chunk}s carried, concatenated.
 *
 * @param index        {@code 0..n-1}
 * @param text         the output text (stop strings removed, special tokens skipped)
 * @param tokenIds     all sampled tokens, a final stop / end-of-generation token included
 * @param logprobs     one entry per token when logprobs were requested, else empty
 * @param finishReason STOP, LENGTH or ABORT
 * @param stopReason   the stop string or stop token id that ended it, else null (see {@link Chunk#stopReason()})
 */
public record Choice(int index, String text, int[] tokenIds, List<Sample> logprobs, FinishReason finishReason, String stopReason) {
    public Choice {
        tokenIds = tokenIds.clone();
        logprobs = List.copyOf(logprobs);
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
