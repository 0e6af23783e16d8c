package dev.ingot.server.openai;

import dev.ingot.runtime.sample.SamplingParams;
import java.util.List;

/**
 * A parsed completion or chat request, ready for the engine: plain data only.
 *
 * @param chat         true for {@code /v1/chat/completions}
 * @param model        the requested model name
 * @param prompts      one prompt, or (completions only) a batch; choice {@code c} of prompt {@code p} is answered as
 *                     choice index {@code p * n + c}, as OpenAI numbers batched completions
 * @param sampling     validated sampling params (maxTokens left at "unlimited" when not given)
 * @param n            choices to generate per prompt
 * @param stream       answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a last chunk carrying usage
 * @param toolsGiven   tools were offered and {@code tool_choice} is not "none": parse tool calls from the output
 * @param echo         completions: prepend the prompt to the text
 */
public record ApiRequest(boolean chat, String model, List<Prompt> prompts, SamplingParams sampling,
                         int n, boolean stream, boolean includeUsage, boolean toolsGiven, boolean echo) {
    public ApiRequest {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) throw new IllegalArgumentException("a request has at least one prompt");
    }

    /** Choices over all prompts. */
    public int totalChoices() {
        return prompts.size() * n;
    }

    /**
     * One prompt: token ids (chat: rendered and tokenized; completions: given ids) or text (the engine tokenizes it).
     */
    public record Prompt(int[] ids, String text) {
        public Prompt {
            if ((ids == null) == (text == null)) throw new IllegalArgumentException("a prompt is token ids or text");
        }

        public static Prompt ofIds(int[] ids) {
            return new Prompt(ids, null);
        }

        public static Prompt ofText(String text) {
            return new Prompt(null, text);
        }
    }
}
