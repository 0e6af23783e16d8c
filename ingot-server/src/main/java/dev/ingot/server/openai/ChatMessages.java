package dev.ingot.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ingot.model.chat.ChatMessage;
import dev.ingot.server.ApiError;
import java.util.ArrayList;
import java.util.List;

/** OpenAI chat message JSON to {@link ChatMessage}. */
final class ChatMessages {
    private ChatMessages() {}

    static ChatMessage parse(JsonNode m) {
        if (!m.isObject()) throw ApiError.badRequest("each message must be an object", "messages");
        String role = Json.string(m, "role");
        if (role == null) throw ApiError.badRequest("each message needs a 'role'", "messages");
        List<ChatMessage.ToolCall> calls = new ArrayList<>();
        if (Json.has(m, "tool_calls")) {
            for (JsonNode c : m.get("tool_calls")) {
                JsonNode fn = c.path("function");
                String name = fn.path("name").asText(null);
                if (name == null) throw ApiError.badRequest("tool_calls[].function.name is required", "messages");
                JsonNode args = fn.get("arguments");
                String argText = args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
                calls.add(new ChatMessage.ToolCall(c.path("id").asText(null), name, argText));
            }
        }
        return new ChatMessage(role, content(m.get("content")), calls, Json.string(m, "tool_call_id"), Json.string(m, "name"));
    }

    /** Content is a string, null, or a list of parts of which the text parts are joined (images are not served). */
    private static String content(JsonNode c) {
        if (c == null || c.isNull()) return null;
        if (c.isTextual()) return c.asText();
        if (!c.isArray()) throw ApiError.badRequest("message content must be a string or a list of parts", "messages");
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : c) {
            String type = part.path("type").asText("");
            if (!type.equals("text")) throw ApiError.badRequest("content part type '" + type + "' is not supported (text only)", "messages");
            sb.append(part.path("text").asText(""));
        }
        return sb.toString();
    }
}
