package dev.ingot.runtime.engine;

import java.util.List;

/**
 * The final outcome of a request that was not failed by an error.
 *
 * @param id      the request id
 * @param choices one per sample, by index
 * @param usage   token counts
 * @param timing  queue time, time to first token, inter-token gaps
 */
public record GenerationResult(String id, List<Choice> choices, Usage usage, Timing timing) {
    public GenerationResult {
        choices = List.copyOf(choices);
    }

    /** The first choice's text (the common n = 1 case). */
    public String text() {
        return choices.getFirst().text();
    }
}
