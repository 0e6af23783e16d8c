package dev.ingot.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.engine.Usage;
import dev.ingot.runtime.sample.Sample;
import dev.ingot.runtime.scheduler.FinishReason;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds OpenAI response objects ({@code chat.completion}, {@code chat.completion.chunk}, {@code text_completion})
 * from plain engine data. Keys the SDKs treat as required ({@code logprobs}, {@code refusal}) are written as
 * explicit nulls, as OpenAI does.
 */
public final class ResponseJson {
    private final String id;
    private final long created;
    private final String model;
    private final Tokenizer tokenizer;

    /** @param id the response id shared by all chunks of one stream */
    public ResponseJson(String id, String model, Tokenizer tokenizer) {
        this.id = id;
        this.created = System.currentTimeMillis() / 1000;
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public static String finishReason(FinishReason r, boolean toolCalls) {
        if (r == null) return null;
        if (toolCalls) return "tool_calls";
        return switch (r) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case ABORT -> "abort"; // vLLM's word; only seen by a client that stayed while the server shut down
        };
    }

    /** The envelope: id, object, created, model, and an empty choices list to fill. */
    public ObjectNode envelope(String object) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", model);
        o.putArray("choices");
        return o;
    }

    /** A chat message ({@code message} or streaming {@code delta}) with content or tool calls. */
    public ObjectNode chatMessage(String role, String content, List<ToolCallParser.Call> calls, int index, boolean delta) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        if (role != null) m.put("role", role);
        if (content != null || !delta) m.put("content", content);
        if (!delta) m.putNull("refusal");
        if (!calls.isEmpty()) {
            ArrayNode arr = m.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                ToolCallParser.Call c = calls.get(i);
                ObjectNode tc = arr.addObject();
                if (delta) tc.put("index", i);
                tc.put("id", "call_" + index + "_" + i + "_" + Long.toHexString(Double.doubleToLongBits(Math.random())));
                tc.put("type", "function");
                ObjectNode fn = tc.putObject("function");
                fn.put("name", c.name());
                fn.put("arguments", c.arguments());
            }
        }
        return m;
    }

    public static ObjectNode usage(Usage u) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.completionTokens());
        o.put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedPromptTokens());
        return o;
    }

    /** Chat logprobs: {@code {"content":[{token, logprob, bytes, top_logprobs:[...]}]}}. */
    public ObjectNode chatLogprobs(List<Sample> samples) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode content = o.putArray("content");
        for (Sample s : samples) {
            ObjectNode e = tokenEntry(s.token(), s.logprob());
            ArrayNode top = e.putArray("top_logprobs");
            for (Sample.TokenLogprob t : s.topLogprobs()) top.add(tokenEntry(t.token(), t.logprob()));
            content.add(e);
        }
        o.putNull("refusal");
        return o;
    }

    /**
     * Legacy completions logprobs: parallel lists of token texts, logprobs, top alternatives (token text to logprob)
     * and character offsets, counted from {@code offset0} (where this piece starts in the choice's text).
     */
    public ObjectNode completionLogprobs(List<Sample> samples, int offset0) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode tokens = o.putArray("tokens"), lps = o.putArray("token_logprobs"), tops = o.putArray("top_logprobs"),
                offsets = o.putArray("text_offset");
        int off = offset0;
        for (Sample s : samples) {
            String text = text(s.token());
            tokens.add(text);
            lps.add(finite(s.logprob()));
            ObjectNode top = tops.addObject();
            for (Sample.TokenLogprob t : s.topLogprobs()) top.put(text(t.token()), finite(t.logprob()));
            offsets.add(off);
            off += text.length();
        }
        return o;
    }

    private ObjectNode tokenEntry(int token, double logprob) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        byte[] bytes = tokenizer.tokenBytes(token);
        e.put("token", new String(bytes, StandardCharsets.UTF_8));
        e.put("logprob", finite(logprob));
        ArrayNode b = e.putArray("bytes");
        for (byte x : bytes) b.add(x & 0xff);
        return e;
    }

    private String text(int token) {
        return new String(tokenizer.tokenBytes(token), StandardCharsets.UTF_8);
    }

    /** JSON has no -Infinity; OpenAI reports impossible tokens as -9999. */
    private static double finite(double lp) {
        return Double.isFinite(lp) ? lp : -9999.0;
    }
}
