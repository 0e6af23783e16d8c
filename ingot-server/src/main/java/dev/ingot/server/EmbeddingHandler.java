package dev.ingot.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.openai.EmbeddingJson;
import dev.ingot.server.openai.RequestParser;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * {@code POST /v1/embeddings} on the request's virtual thread: parse, tokenize and check every input (400s before
 * anything is queued), queue the request on its model's {@link EmbeddingService}, wait (dropping the request if the
 * client hangs up), answer in OpenAI's shape.
 */
final class EmbeddingHandler {
    private final Map<String, EmbeddingService> services = new LinkedHashMap<>();
    private final Function<String, ApiError> otherModel;

    /** @param otherModel the error for a model that none of {@code services} serves (404, or 400 for a chat model) */
    EmbeddingHandler(List<EmbeddingService> services, Function<String, ApiError> otherModel) {
        for (EmbeddingService s : services) {
            if (this.services.putIfAbsent(s.name(), s) != null) throw new IllegalArgumentException("two embedding models are named " + s.name());
        }
        this.otherModel = otherModel;
    }

    void handle(Context ctx) {
        JsonNode body = RequestParser.readBody(ctx.body());
        JsonNode model = body.get("model");
        EmbeddingService service = model != null && model.isTextual() ? services.get(model.asText()) : null;
        if (service == null && model != null && model.isTextual()) throw otherModel.apply(model.asText());
        EmbeddingJson.Request req = EmbeddingJson.parse(body); // a missing or non-string model is a 400 here
        if (req.dimensions() != null && req.dimensions() != service.dimension()) {
            // Truncating these models' vectors is not meaningful (they are not Matryoshka-trained); vLLM refuses too.
            throw ApiError.badRequest("model " + service.name() + " gives " + service.dimension() + "-dimensional embeddings and does not support "
                    + "'dimensions' " + req.dimensions(), "dimensions");
        }
        int limit = service.limits().maxInputsPerRequest();
        if (req.inputs().size() > limit) {
            throw ApiError.badRequest("too many inputs: at most " + limit + " per request, got " + req.inputs().size(), "input");
        }
        List<EmbeddingService.Input> inputs = new ArrayList<>(req.inputs().size());
        for (int i = 0; i < req.inputs().size(); i++) {
            Object in = req.inputs().get(i);
            try {
                inputs.add(in instanceof String s ? service.text(s) : service.tokens((int[]) in));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(req.inputs().size() == 1 ? e.getMessage() : "input[" + i + "]: " + e.getMessage(), "input");
            }
        }
        EmbeddingService.Job job;
        try {
            job = service.submit(inputs);
        } catch (RejectedExecutionException e) {
            ctx.header("Retry-After", "1"); // OpenAI's SDKs retry a 503 after this many seconds
            throw new ApiError(503, "server_error", e.getMessage() + "; retry later", null, "overloaded");
        } catch (IllegalStateException e) {
            throw new ApiError(503, "server_error", "the server is shutting down", null, null);
        }
        ClientConnection conn = ClientConnection.of(ctx);
        EmbeddingService.Result r;
        try {
            r = conn.await(job.result(), job::cancel);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException && conn.isGone()) return; // nobody to answer
            throw new ApiError(500, "server_error", "embedding failed: " + e.getCause(), null, null);
        }
        if (conn.strayBytes()) ctx.header("Connection", "close");
        ctx.contentType("application/json").result(EmbeddingJson.response(service.name(), r.vectors(), r.promptTokens(), req.base64()).toString());
    }
}
