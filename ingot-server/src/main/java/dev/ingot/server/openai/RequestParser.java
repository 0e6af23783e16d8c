package dev.ingot.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ingot.model.chat.ChatMessage;
import dev.ingot.model.chat.ChatTemplate;
import dev.ingot.model.chat.ChatTemplateException;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.server.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request body into an {@link ApiRequest}: validates known fields, ignores unknown ones, renders chat
 * messages through the model's template and tokenizes them. Thread-safe (the tokenizer and template are).
 */
public final class RequestParser {
    /** vLLM's default for {@code /v1/completions} when {@code max_tokens} is absent (OpenAI's too). */
    static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
    /** Bound on prompts x n of one request: each choice is a sequence in the engine and a stream to relay. */
    static final int MAX_CHOICES = 256;
    /** Parameter names SamplingParams' messages start with; the first word of a message names the param. */
    private static final Set<String> SAMPLING_PARAMS = Set.of("temperature", "top_k", "top_p", "min_p",
            "repetition_penalty", "presence_penalty", "frequency_penalty", "top_logprobs", "max_tokens", "stop",
            "stop_token_ids", "seed");

    private final Tokenizer tokenizer;
    private final ChatTemplate template;

    public RequestParser(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    /** Parses the raw body; malformed JSON or a non-object body is a 400. */
    public static JsonNode readBody(String body) {
        if (body == null || body.isBlank()) throw ApiError.badRequest("the request body must be a JSON object", null);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed JSON in the request body: " + e.getOriginalMessage(), null);
        }
        if (root == null || !root.isObject()) throw ApiError.badRequest("the request body must be a JSON object", null);
        return root;
    }

    public ApiRequest parse(JsonNode body, boolean chat) {
        String model = Json.string(body, "model");
        if (model == null) throw ApiError.badRequest("you must provide a model parameter", "model");
        int n = Json.integer(body, "n", 1);
        if (n < 1 || n > 128) throw ApiError.badRequest("n must be in [1, 128], got " + n, "n");
        boolean stream = Json.bool(body, "stream", false);
        boolean includeUsage = false;
        if (Json.has(body, "stream_options")) {
            JsonNode so = body.get("stream_options");
            if (!so.isObject()) throw ApiError.badRequest("'stream_options' must be an object", "stream_options");
            includeUsage = Json.bool(so, "include_usage", false);
        }
        SamplingParams sampling = sampling(body, chat);
        if (chat) {
            boolean tools = toolsRequested(body);
            int[] ids = renderChat(body, tools);
            return new ApiRequest(true, model, List.of(ApiRequest.Prompt.ofIds(ids)), sampling, n, stream, includeUsage, tools, false);
        }
        boolean echo = Json.bool(body, "echo", false);
        List<ApiRequest.Prompt> prompts = prompts(body.get("prompt"));
        if ((long) prompts.size() * n > MAX_CHOICES) {
            throw ApiError.badRequest("prompts x n must be at most " + MAX_CHOICES + ", got " + prompts.size() + " x " + n, "prompt");
        }
        return new ApiRequest(false, model, prompts, sampling, n, stream, includeUsage, false, echo);
    }

    /**
     * OpenAI's four prompt forms: a string, a list of strings, a list of token ids, a list of token-id lists; every
     * list element is its own prompt (a batch).
     */
    private static List<ApiRequest.Prompt> prompts(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) throw ApiError.badRequest("you must provide a prompt", "prompt");
        if (prompt.isTextual()) return List.of(ApiRequest.Prompt.ofText(prompt.asText()));
        String shape = "'prompt' must be a string, a list of strings, a list of token ids or a list of token-id lists";
        if (!prompt.isArray() || prompt.isEmpty()) throw ApiError.badRequest(shape, "prompt");
        if (prompt.get(0).isIntegralNumber()) return List.of(ApiRequest.Prompt.ofIds(tokenIds(prompt, shape)));
        List<ApiRequest.Prompt> out = new ArrayList<>();
        boolean texts = prompt.get(0).isTextual();
        for (JsonNode p : prompt) {
            if (texts && p.isTextual()) out.add(ApiRequest.Prompt.ofText(p.asText()));
            else if (!texts && p.isArray() && !p.isEmpty()) out.add(ApiRequest.Prompt.ofIds(tokenIds(p, shape)));
            else throw ApiError.badRequest(shape + " (not a mix)", "prompt");
        }
        return out;
    }

    private static int[] tokenIds(JsonNode arr, String shape) {
        int[] ids = new int[arr.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = arr.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) throw ApiError.badRequest(shape + "; token ids must be integers", "prompt");
            ids[i] = t.asInt();
        }
        return ids;
    }

    private static SamplingParams sampling(JsonNode body, boolean chat) {
        SamplingParams.Builder b = SamplingParams.builder();
        b.temperature(Json.number(body, "temperature", 1.0));
        b.topP(Json.number(body, "top_p", 1.0));
        b.topK(Json.integer(body, "top_k", 0));
        b.minP(Json.number(body, "min_p", 0));
        b.repetitionPenalty(Json.number(body, "repetition_penalty", 1.0));
        b.presencePenalty(Json.number(body, "presence_penalty", 0));
        b.frequencyPenalty(Json.number(body, "frequency_penalty", 0));
        b.ignoreEos(Json.bool(body, "ignore_eos", false));
        Long seed = Json.longOrNull(body, "seed");
        if (seed != null) b.seed(seed);
        int dfltMax = chat ? Integer.MAX_VALUE : COMPLETIONS_DEFAULT_MAX_TOKENS;
        String maxField = Json.has(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int max = Json.integer(body, maxField, dfltMax);
        if (max < 1) throw ApiError.badRequest(maxField + " must be at least 1, got " + max, maxField);
        b.maxTokens(max);
        b.stop(stops(body));
        if (Json.has(body, "stop_token_ids")) b.stopTokenIds(stopTokenIds(body.get("stop_token_ids")));
        if (chat) {
            boolean lp = Json.bool(body, "logprobs", false);
            int top = Json.integer(body, "top_logprobs", 0);
            if (top > 0 && !lp) throw ApiError.badRequest("top_logprobs requires logprobs to be true", "top_logprobs");
            b.topLogprobs(top).logprobs(lp);
        } else if (Json.has(body, "logprobs")) {
            int top = Json.integer(body, "logprobs", 0);
            if (top < 0) throw ApiError.badRequest("logprobs must be >= 0, got " + top, "logprobs");
            b.topLogprobs(top).logprobs(true);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String first = e.getMessage().split(" ", 2)[0];
            String param = SAMPLING_PARAMS.contains(first) ? first : null;
            if ("max_tokens".equals(param)) param = maxField;
            throw ApiError.badRequest(e.getMessage(), param);
        }
    }

    private static List<String> stops(JsonNode body) {
        if (!Json.has(body, "stop")) return List.of();
        JsonNode s = body.get("stop");
        if (s.isTextual()) return s.asText().isEmpty() ? List.of() : List.of(s.asText());
        if (!s.isArray()) throw ApiError.badRequest("'stop' must be a string or a list of strings", "stop");
        List<String> out = new ArrayList<>();
        for (JsonNode e : s) {
            if (!e.isTextual()) throw ApiError.badRequest("'stop' must be a string or a list of strings", "stop");
            if (!e.asText().isEmpty()) out.add(e.asText());
        }
        return out;
    }

    private static Set<Integer> stopTokenIds(JsonNode s) {
        if (!s.isArray()) throw ApiError.badRequest("'stop_token_ids' must be a list of integers", "stop_token_ids");
        Set<Integer> out = new LinkedHashSet<>();
        for (JsonNode e : s) {
            if (!e.isIntegralNumber()) throw ApiError.badRequest("'stop_token_ids' must be a list of integers", "stop_token_ids");
            out.add(e.asInt());
        }
        return out;
    }

    private static boolean toolsRequested(JsonNode body) {
        if (!Json.has(body, "tools")) return false;
        if (!body.get("tools").isArray()) throw ApiError.badRequest("'tools' must be a list", "tools");
        JsonNode choice = body.get("tool_choice");
        return body.get("tools").size() > 0 && !(choice != null && choice.isTextual() && choice.asText().equals("none"));
    }

    private int[] renderChat(JsonNode body, boolean tools) {
        JsonNode msgs = body.get("messages");
        if (msgs == null || !msgs.isArray() || msgs.isEmpty()) throw ApiError.badRequest("'messages' must be a non-empty list", "messages");
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : msgs) messages.add(ChatMessages.parse(m));
        String rendered;
        try {
            rendered = template.render(messages, tools ? body.get("tools").toString() : null, true, Map.of());
        } catch (ChatTemplateException e) {
            throw ApiError.badRequest("the chat template rejected the messages: " + e.getMessage(), "messages");
        }
        return template.encodePrompt(tokenizer, rendered);
    }
}
