package dev.ingot.server.openai;

import dev.ingot.runtime.sample.SamplingParams;

/**
 * A parsed completion or chat request, ready for the engine: plain data only.
 *
 * @param chat         true for {@code /v1/chat/completions}
 * @param model        the requested model name
 * @param promptIds    the prompt as token ids (chat: rendered and tokenized; completions: given ids), or null
 * @param promptText   the completion prompt text when given as text (the engine tokenizes it), or null
 * @param sampling     validated sampling params (maxTokens left at "unlimited" when not given)
 * @param n            choices to generate
 * @param stream       answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a last chunk carrying usage
 * @param toolsGiven   tools were offered and {@code tool_choice} is not "none": parse tool calls from the output
 * @param echo         completions: prepend the prompt to the text
 */
public record ApiRequest(boolean chat, String model, int[] promptIds, String promptText, SamplingParams sampling,
                         int n, boolean stream, boolean includeUsage, boolean toolsGiven, boolean echo) {}
