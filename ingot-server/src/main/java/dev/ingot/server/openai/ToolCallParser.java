package dev.ingot.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds tool calls in generated text, in the two formats chat templates teach models:
 * <ul>
 *   <li>Hermes / Qwen: {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}, any number, with free text
 *       around them (which becomes the message content); a final block left unclosed at EOS is accepted;
 *   <li>Llama 3.x: the whole output is a JSON object {@code {"name": ..., "parameters": {...}}} (optionally after
 *       {@code <|python_tag|>}), or several separated by {@code ;}, or a JSON list of them.
 * </ul>
 * Text that does not parse as a call is left as content, so a model that merely mentions a tool is not misread.
 */
public final class ToolCallParser {
    private static final Pattern HERMES = Pattern.compile("<tool_call>\\s*(.*?)\\s*(?:</tool_call>|$)", Pattern.DOTALL);

    /** A call with its arguments as JSON text (the OpenAI wire form). */
    public record Call(String name, String arguments) {}

    /** @param content the text that is not a call, or null when nothing but calls was generated */
    public record Parsed(String content, List<Call> calls) {}

    private ToolCallParser() {}

    public static Parsed parse(String text) {
        if (text.contains("<tool_call>")) {
            List<Call> calls = new ArrayList<>();
            StringBuilder rest = new StringBuilder();
            Matcher m = HERMES.matcher(text);
            int last = 0;
            while (m.find()) {
                Call c = call(m.group(1));
                if (c == null) continue;
                calls.add(c);
                rest.append(text, last, m.start());
                last = m.end();
            }
            rest.append(text.substring(last));
            if (!calls.isEmpty()) return new Parsed(blankToNull(rest.toString()), calls);
        }
        String t = text.strip();
        if (t.startsWith("<|python_tag|>")) t = t.substring("<|python_tag|>".length()).strip();
        if (t.startsWith("[")) {
            JsonNode arr = tree(t);
            if (arr != null && arr.isArray()) {
                List<Call> calls = new ArrayList<>();
                for (JsonNode e : arr) {
                    Call c = call(e);
                    if (c == null) return new Parsed(text, List.of());
                    calls.add(c);
                }
                if (!calls.isEmpty()) return new Parsed(null, calls);
            }
        }
        if (t.startsWith("{")) {
            List<Call> calls = new ArrayList<>();
            for (String part : t.split(";(?=\\s*\\{)")) {
                Call c = call(part);
                if (c == null) return new Parsed(text, List.of());
                calls.add(c);
            }
            return new Parsed(null, calls);
        }
        return new Parsed(text, List.of());
    }

    private static Call call(String json) {
        JsonNode n = tree(json);
        return n == null ? null : call(n);
    }

    private static Call call(JsonNode n) {
        if (!n.isObject() || !n.path("name").isTextual()) return null;
        JsonNode args = n.has("arguments") ? n.get("arguments") : n.get("parameters");
        String argText = args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
        return new Call(n.get("name").asText(), argText);
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json.strip());
        } catch (JsonProcessingException e) {
            return null; // not a call: the caller keeps the text as content
        }
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s.strip();
    }
}
