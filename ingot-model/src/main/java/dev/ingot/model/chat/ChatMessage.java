package dev.ingot.model.chat;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation as chat templates see it (OpenAI / Hugging Face shape).
 *
 * @param role       "system", "user", "assistant" or "tool" (templates may accept others, e.g. "ipython")
 * @param content    the text; null for an assistant message that only calls tools
 * @param toolCalls  tool calls of an assistant message (empty otherwise)
 * @param toolCallId for role "tool": the id of the call this message answers (null otherwise)
 * @param name       optional name of the author or tool
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, List.of(), null, null);
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    /** An assistant turn that calls tools. */
    public static ChatMessage toolCalls(List<ToolCall> calls) {
        return new ChatMessage("assistant", null, calls, null, null);
    }

    /** A tool's answer to the call with {@code toolCallId}. */
    public static ChatMessage toolResult(String toolCallId, String name, String content) {
        return new ChatMessage("tool", content, List.of(), toolCallId, name);
    }

    /**
     * A call of function {@code name}.
     *
     * @param arguments the arguments as a JSON text (as the OpenAI API carries them); templates receive the parsed
     *                  object when it is valid JSON, else the text
     */
    public record ToolCall(String id, String name, String arguments) {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            arguments = arguments == null ? "{}" : arguments;
        }
    }
}
