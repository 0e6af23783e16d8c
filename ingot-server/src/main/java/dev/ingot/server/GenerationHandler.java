package dev.ingot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.engine.Choice;
import dev.ingot.runtime.engine.Chunk;
import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.GenerateRequest;
import dev.ingot.runtime.engine.GenerationResult;
import dev.ingot.runtime.engine.RequestFailedException;
import dev.ingot.runtime.engine.RequestHandle;
import dev.ingot.server.openai.ApiRequest;
import dev.ingot.server.openai.RequestParser;
import dev.ingot.server.openai.ResponseJson;
import dev.ingot.server.openai.ToolCallParser;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}. Runs on the request's virtual thread: parse,
 * submit a plain {@link GenerateRequest}, then either wait for the result or relay the handle's chunks as SSE.
 */
final class GenerationHandler {
    private final Engine engine;
    private final RequestParser parser;
    private final Tokenizer tokenizer;
    private final String modelName;

    GenerationHandler(Engine engine, String modelName) {
        this.engine = engine;
        this.tokenizer = engine.model().tokenizer();
        this.parser = new RequestParser(tokenizer, engine.model().chatTemplate());
        this.modelName = modelName;
    }

    void handle(Context ctx, boolean chat) throws IOException {
        JsonNode body = RequestParser.readBody(ctx.body());
        // The model is checked first, as vLLM does: a wrong model is a 404 whatever else is wrong.
        JsonNode model = body.get("model");
        if (model != null && model.isTextual() && !model.asText().equals(modelName)) throw ApiError.modelNotFound(model.asText());
        ApiRequest req = parser.parse(body, chat);
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        RequestHandle handle = submit(req, id);
        ResponseJson json = new ResponseJson(id, modelName, tokenizer);
        if (req.stream()) {
            new StreamRelay(req, handle, json, ctx).run();
        } else {
            GenerationResult r = await(handle);
            ctx.contentType("application/json").result(complete(req, r, json).toString());
        }
    }

    private RequestHandle submit(ApiRequest req, String id) {
        GenerateRequest.Builder b = req.promptIds() != null ? GenerateRequest.tokens(req.promptIds()) : GenerateRequest.text(req.promptText());
        try {
            return engine.submit(b.id(id).sampling(req.sampling()).n(req.n()).build());
        } catch (IllegalArgumentException e) {
            // Engine messages start "request <id>: "; the client did not choose that id, so it is dropped.
            String msg = e.getMessage().replaceFirst("^request \\S+: ", "");
            String param = msg.startsWith("n ") ? "n" : msg.contains("you requested") ? "max_tokens" : req.chat() ? "messages" : "prompt";
            throw ApiError.badRequest(msg, param);
        } catch (IllegalStateException e) {
            throw new ApiError(503, "server_error", "the engine is shutting down", null, null);
        }
    }

    private static GenerationResult await(RequestHandle handle) {
        try {
            return handle.await();
        } catch (RequestFailedException e) {
            throw new ApiError(500, "server_error", "generation failed: " + e.getMessage(), null, null);
        }
    }

    private ObjectNode complete(ApiRequest req, GenerationResult r, ResponseJson json) {
        ObjectNode o = json.envelope(req.chat() ? "chat.completion" : "text_completion");
        ArrayNode choices = (ArrayNode) o.get("choices");
        for (Choice c : r.choices()) {
            ObjectNode ch = choices.addObject();
            ch.put("index", c.index());
            boolean lp = req.sampling().logprobs();
            if (req.chat()) {
                ToolCallParser.Parsed p = req.toolsGiven() ? ToolCallParser.parse(c.text()) : new ToolCallParser.Parsed(c.text(), List.of());
                ch.set("message", json.chatMessage("assistant", p.content(), p.calls(), c.index(), false));
                if (lp) ch.set("logprobs", json.chatLogprobs(c.logprobs()));
                else ch.putNull("logprobs");
                ch.put("finish_reason", ResponseJson.finishReason(c.finishReason(), !p.calls().isEmpty()));
            } else {
                String prefix = req.echo() ? echoText(req) : "";
                ch.put("text", prefix + c.text());
                if (lp) ch.set("logprobs", json.completionLogprobs(c.logprobs(), prefix.length()));
                else ch.putNull("logprobs");
                ch.put("finish_reason", ResponseJson.finishReason(c.finishReason(), false));
            }
            ch.put("stop_reason", c.stopReason());
        }
        o.set("usage", ResponseJson.usage(r.usage()));
        return o;
    }

    String echoText(ApiRequest req) {
        return req.promptText() != null ? req.promptText() : tokenizer.decode(req.promptIds(), true, false);
    }

    /** Relays one request's chunks as SSE; a failed write cancels the request. */
    private final class StreamRelay {
        private final ApiRequest req;
        private final RequestHandle handle;
        private final ResponseJson json;
        private final SseWriter sse;
        private final int[] offsets;
        private final StringBuilder[] held; // per choice: text held back to parse tool calls at the end

        StreamRelay(ApiRequest req, RequestHandle handle, ResponseJson json, Context ctx) throws IOException {
            this.req = req;
            this.handle = handle;
            this.json = json;
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream either
            this.sse = new SseWriter(ctx.res().getOutputStream());
            this.offsets = new int[req.n()];
            this.held = new StringBuilder[req.n()];
            for (int i = 0; i < req.n(); i++) held[i] = new StringBuilder();
        }

        void run() {
            if (!opening()) {
                handle.cancel();
                return;
            }
            try {
                for (Chunk c : handle) {
                    if (!send(c)) {
                        handle.cancel(); // the client is gone: the engine frees the blocks at its next step
                        return;
                    }
                }
                GenerationResult r = handle.await();
                if (req.includeUsage()) {
                    ObjectNode u = json.envelope(req.chat() ? "chat.completion.chunk" : "text_completion");
                    u.set("usage", ResponseJson.usage(r.usage()));
                    sse.send(u.toString());
                }
            } catch (RequestFailedException e) {
                ObjectNode err = ErrorBody.of("generation failed: " + e.getMessage(), "server_error", null, null);
                sse.send(err.toString());
            }
            sse.done();
        }

        /** Chat streams start with the assistant role per choice; echo sends the prompt first. */
        private boolean opening() {
            for (int i = 0; i < req.n(); i++) {
                if (req.chat()) {
                    ObjectNode d = json.chatMessage("assistant", "", List.of(), i, true);
                    if (!sse.send(chunk(i, d, null, null).toString())) return false;
                } else if (req.echo()) {
                    String p = echoText(req);
                    offsets[i] = p.length();
                    if (!sse.send(chunk(i, null, p, null).toString())) return false;
                }
            }
            return true;
        }

        private boolean send(Chunk c) {
            int i = c.index();
            boolean hasLogprobs = req.sampling().logprobs() && !c.logprobs().isEmpty();
            if (c.text().isEmpty() && !hasLogprobs && !c.finished()) return true; // nothing to tell yet
            if (req.chat()) {
                if (req.toolsGiven()) {
                    held[i].append(c.text());
                    return !c.finished() || finishTools(i, c);
                }
                ObjectNode o = chunk(i, json.chatMessage(null, c.text().isEmpty() ? null : c.text(), List.of(), i, true), null, null);
                if (hasLogprobs) firstChoice(o).set("logprobs", json.chatLogprobs(c.logprobs()));
                if (!c.text().isEmpty() || hasLogprobs) {
                    if (!sse.send(o.toString())) return false;
                }
                return !c.finished() || sse.send(chunk(i, JsonNodeFactory.instance.objectNode(), null, ResponseJson.finishReason(c.finishReason(), false)).toString());
            }
            ObjectNode o = chunk(i, null, c.text(), ResponseJson.finishReason(c.finishReason(), false));
            if (hasLogprobs) firstChoice(o).set("logprobs", json.completionLogprobs(c.logprobs(), offsets[i]));
            offsets[i] += c.text().length();
            return sse.send(o.toString());
        }

        private boolean finishTools(int i, Chunk c) {
            ToolCallParser.Parsed p = ToolCallParser.parse(held[i].toString());
            if (p.content() != null || !p.calls().isEmpty()) {
                if (!sse.send(chunk(i, json.chatMessage(null, p.content(), p.calls(), i, true), null, null).toString())) return false;
            }
            return sse.send(chunk(i, JsonNodeFactory.instance.objectNode(), null, ResponseJson.finishReason(c.finishReason(), !p.calls().isEmpty())).toString());
        }

        /** One chunk with one choice: chat chunks carry a delta, completion chunks a text. */
        private ObjectNode chunk(int index, ObjectNode delta, String text, String finish) {
            ObjectNode o = json.envelope(req.chat() ? "chat.completion.chunk" : "text_completion");
            ObjectNode ch = ((ArrayNode) o.get("choices")).addObject();
            ch.put("index", index);
            if (req.chat()) ch.set("delta", delta);
            else ch.put("text", text);
            ch.putNull("logprobs");
            ch.put("finish_reason", finish);
            if (req.includeUsage()) o.putNull("usage");
            return o;
        }

        private static ObjectNode firstChoice(ObjectNode o) {
            return (ObjectNode) o.get("choices").get(0);
        }
    }
}
