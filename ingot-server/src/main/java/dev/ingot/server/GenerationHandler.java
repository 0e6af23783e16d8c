package dev.ingot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.engine.Choice;
import dev.ingot.runtime.engine.Engine;
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
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}. Runs on the request's virtual thread: parse,
 * submit plain {@link dev.ingot.runtime.engine.GenerateRequest}s (one per prompt), then either wait for the results
 * (cancelling them if the client hangs up meanwhile) or relay their chunks as SSE ({@link StreamRelay}).
 */
final class GenerationHandler {
    private final Engine engine;
    private final RequestParser parser;
    private final Tokenizer tokenizer;
    private final String modelName;
    private final Function<String, ApiError> otherModel;

    /** @param otherModel the error for a request naming a model other than this one (404, or 400 for a model of another kind) */
    GenerationHandler(Engine engine, String modelName, Function<String, ApiError> otherModel) {
        this.engine = engine;
        this.otherModel = otherModel;
        this.tokenizer = engine.model().tokenizer();
        this.parser = new RequestParser(tokenizer, engine.model().chatTemplate());
        this.modelName = modelName;
    }

    void handle(Context ctx, boolean chat) throws IOException, InterruptedException {
        JsonNode body = RequestParser.readBody(ctx.body());
        // The model is checked first, as vLLM does: a wrong model is a 404 whatever else is wrong.
        JsonNode model = body.get("model");
        if (model != null && model.isTextual() && !model.asText().equals(modelName)) throw otherModel.apply(model.asText());
        ApiRequest req = parser.parse(body, chat);
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        EngineBatch batch = submit(req, id);
        ResponseJson json = new ResponseJson(id, modelName, tokenizer);
        if (req.stream()) {
            new StreamRelay(req, batch, json, p -> echoText(req.prompts().get(p)), ctx).run();
            return;
        }
        // Nothing is written until the whole answer is ready, so only probing the connection tells whether the
        // client is still there; a client that left gets its requests cancelled (KV blocks freed next step).
        ClientConnection conn = ClientConnection.of(ctx);
        try {
            conn.await(batch.allDone(), batch::cancelAll);
        } catch (ExecutionException e) {
            batch.cancelAll();
            String why = e.getCause() instanceof RequestFailedException f ? f.getMessage() : String.valueOf(e.getCause());
            throw new ApiError(500, "server_error", "generation failed: " + why, null, null);
        }
        if (conn.isGone()) return; // nobody to answer
        if (conn.strayBytes()) ctx.header("Connection", "close");
        List<GenerationResult> results = batch.handles().stream().map(RequestHandle::await).toList();
        ctx.contentType("application/json").result(complete(req, results, json).toString());
    }

    private EngineBatch submit(ApiRequest req, String id) {
        try {
            return EngineBatch.submit(engine, req, id);
        } catch (IllegalArgumentException e) {
            // Engine messages start "request <id>: "; the client did not choose that id, so it is dropped.
            String msg = e.getMessage().replaceFirst("^request \\S+: ", "");
            String param = msg.startsWith("n ") ? "n" : msg.contains("you requested") ? "max_tokens" : req.chat() ? "messages" : "prompt";
            throw ApiError.badRequest(msg, param);
        } catch (IllegalStateException e) {
            throw new ApiError(503, "server_error", "the engine is shutting down", null, null);
        }
    }

    private ObjectNode complete(ApiRequest req, List<GenerationResult> results, ResponseJson json) {
        ObjectNode o = json.envelope(req.chat() ? "chat.completion" : "text_completion");
        ArrayNode choices = (ArrayNode) o.get("choices");
        for (int p = 0; p < results.size(); p++) {
            for (Choice c : results.get(p).choices()) {
                int index = p * req.n() + c.index(); // OpenAI's numbering of a batch: prompt-major
                ObjectNode ch = choices.addObject();
                ch.put("index", index);
                boolean lp = req.sampling().logprobs();
                if (req.chat()) {
                    ToolCallParser.Parsed parsed = req.toolsGiven() ? ToolCallParser.parse(c.text()) : new ToolCallParser.Parsed(c.text(), List.of());
                    ch.set("message", json.chatMessage("assistant", parsed.content(), parsed.calls(), index, false));
                    if (lp) ch.set("logprobs", json.chatLogprobs(c.logprobs()));
                    else ch.putNull("logprobs");
                    ch.put("finish_reason", ResponseJson.finishReason(c.finishReason(), !parsed.calls().isEmpty()));
                } else {
                    String prefix = req.echo() ? echoText(req.prompts().get(p)) : "";
                    ch.put("text", prefix + c.text());
                    if (lp) ch.set("logprobs", json.completionLogprobs(c.logprobs(), prefix.length()));
                    else ch.putNull("logprobs");
                    ch.put("finish_reason", ResponseJson.finishReason(c.finishReason(), false));
                }
                ch.put("stop_reason", c.stopReason());
            }
        }
        o.set("usage", ResponseJson.usage(EngineBatch.usage(results)));
        return o;
    }

    private String echoText(ApiRequest.Prompt p) {
        return p.text() != null ? p.text() : tokenizer.decode(p.ids(), true, false);
    }
}
