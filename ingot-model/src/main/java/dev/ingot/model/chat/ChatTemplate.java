package dev.ingot.model.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template ({@code tokenizer.chat_template}, Jinja) rendered with Jinjava the way Hugging Face
 * and llama.cpp render it: {@code trim_blocks} and {@code lstrip_blocks} on; variables {@code messages},
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, {@code tools} (only when given) plus any
 * extra ones; functions {@code raise_exception} and {@code strftime_now}; HF's {@code tojson}. Immutable and
 * thread-safe (a Jinjava instance renders concurrently).
 */
public final class ChatTemplate {
    /** ChatML, used when a model has no template (also what SmolLM2 and Qwen use, minus their default system prompts). */
    public static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One engine for all templates: building one costs ~100 ms, rendering with it is thread-safe. */
    private static final Jinjava JINJAVA = newEngine();

    private static Jinjava newEngine() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .withElResolver(JinjaCompat.resolver())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withIterateOverMapKeys(true) // {% for k in dict %} yields keys, as in Python
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true) // "{{-" and "-}}" trim like Jinja2
                        .withKeepNullableLoopValues(true)
                        .withUsePyishObjectMapper(true) // {{ list }} prints ['a', 'b'] as Python does
                        .build())
                .build());
        JinjaCompat.filters().forEach(f -> jinjava.getGlobalContext().registerFilter(f));
        JinjaCompat.functions().forEach(f -> jinjava.getGlobalContext().registerFunction(f));
        jinjava.getGlobalContext().registerExpTest(new JinjaCompat.Iterable());
        return jinjava;
    }

    private final String source;
    private final String compiled;
    private final String bosToken;
    private final String eosToken;
    private final boolean fallback;

    private ChatTemplate(String source, String bosToken, String eosToken, boolean fallback) {
        this.source = Objects.requireNonNull(source, "source");
        this.compiled = JinjaCompat.rewrite(source);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.fallback = fallback;
    }

    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        return new ChatTemplate(source, bosToken, eosToken, false);
    }

    /** The built-in ChatML template, for models without one. */
    public static ChatTemplate chatml() {
        return new ChatTemplate(CHATML, "", "", true);
    }

    /**
     * The template stored in the file ({@code tokenizer.chat_template}), with the vocabulary's BOS/EOS texts;
     * ChatML when the file has none.
     */
    public static ChatTemplate fromGguf(GgufFile f) {
        List<String> tokens = f.stringArray("tokenizer.ggml.tokens");
        String bos = tokenText(tokens, f.integer("tokenizer.ggml.bos_token_id").orElse(-1));
        String eos = tokenText(tokens, f.integer("tokenizer.ggml.eos_token_id").orElse(-1));
        return f.string("tokenizer.chat_template")
                .map(src -> new ChatTemplate(src, bos, eos, false))
                .orElseGet(() -> new ChatTemplate(CHATML, bos, eos, true));
    }

    private static String tokenText(List<String> tokens, long id) {
        return id >= 0 && id < tokens.size() ? tokens.get((int) id) : "";
    }

    public String source() {
        return source;
    }

    /** True when the model had no template and ChatML stands in. */
    public boolean isFallback() {
        return fallback;
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, null, addGenerationPrompt, Map.of());
    }

    /**
     * @param toolsJson JSON array of OpenAI-style tools ({@code [{"type":"function","function":{...}}]}), or null
     * @param extra     further template variables (e.g. {@code date_string}, {@code enable_thinking})
     */
    public String render(List<ChatMessage> messages, String toolsJson, boolean addGenerationPrompt, Map<String, Object> extra) {
        Map<String, Object> ctx = new LinkedHashMap<>(extra);
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) msgs.add(toMap(m));
        ctx.put("messages", msgs);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put("bos_token", bosToken);
        ctx.put("eos_token", eosToken);
        // Templates test "strftime_now is defined" before calling it; Jinjava resolves that as a variable.
        ctx.putIfAbsent("strftime_now", true);
        if (toolsJson != null && !toolsJson.isBlank()) ctx.put("tools", parseJson(toolsJson, "tools"));

        RenderResult r = JINJAVA.renderForResult(compiled, ctx);
        for (TemplateError e : r.getErrors()) {
            Throwable cause = e.getException();
            while (cause != null && !(cause instanceof JinjaCompat.Raised)) cause = cause.getCause();
            if (cause != null) throw new ChatTemplateException(cause.getMessage());
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template error at line " + e.getLineno() + ": " + e.getMessage(), e.getException());
            }
        }
        return r.getOutput();
    }

    /**
     * Tokenizes a rendered prompt for the model: special tokens parsed, and BOS added unless the template
     * already wrote it (llama.cpp would otherwise start with two BOS tokens).
     */
    public int[] encodePrompt(Tokenizer tokenizer, String rendered) {
        boolean hasBos = !bosToken.isEmpty() && rendered.startsWith(bosToken);
        return tokenizer.encode(rendered, !hasBos, true);
    }

    // Only keys that are set appear, so that "'tool_calls' in message" and "is defined" behave as in HF.
    private static Map<String, Object> toMap(ChatMessage m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", m.role());
        map.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (ChatMessage.ToolCall c : m.toolCalls()) {
                Map<String, Object> fn = new LinkedHashMap<>();
                fn.put("name", c.name());
                fn.put("arguments", argumentsObject(c.arguments()));
                Map<String, Object> call = new LinkedHashMap<>();
                if (c.id() != null) call.put("id", c.id());
                call.put("type", "function");
                call.put("function", fn);
                calls.add(call);
            }
            map.put("tool_calls", calls);
        }
        if (m.toolCallId() != null) map.put("tool_call_id", m.toolCallId());
        if (m.name() != null) map.put("name", m.name());
        return map;
    }

    private static Object argumentsObject(String arguments) {
        try {
            return JSON.readValue(arguments, new TypeReference<Object>() {});
        } catch (JsonProcessingException e) {
            return arguments; // not JSON: templates get the text as is
        }
    }

    private static Object parseJson(String json, String what) {
        try {
            return JSON.readValue(json, new TypeReference<Object>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
