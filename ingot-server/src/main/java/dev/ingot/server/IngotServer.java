package dev.ingot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.EngineConfig;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.metrics.ServerMetrics;
import dev.ingot.server.openai.RequestParser;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The HTTP server: routes, API-key check and error mapping over one {@link Engine} (text generation) and any
 * number of {@link EmbeddingService}s (embeddings); either side may be absent. Every handler runs on a
 * virtual thread; whatever a handler throws becomes an OpenAI-shaped error response, so no request can take the
 * server down.
 *
 * <pre>{@code
 * ServerMetrics metrics = new ServerMetrics();
 * try (Engine engine = Engine.start(model, engineConfig, metrics);
 *      EmbeddingService minilm = new EmbeddingService("all-minilm-l6-v2", embeddingModel, EmbeddingService.Limits.DEFAULT);
 *      IngotServer server = IngotServer.start(engine, List.of(minilm), metrics, new ServerConfig("127.0.0.1", 8080, null, "m"))) {
 *     server.join();
 * }
 * }</pre>
 */
public final class IngotServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingot.server");
    /** Marks a response whose error body is already written, so the status-code mappers leave it alone. */
    private static final String ERROR_WRITTEN = "ingot.error-written";

    private final Javalin app;
    private final Engine ownedEngine; // non-null when this server started the engine and must close it
    // Jetty's own join() returns at once when its pool is virtual threads, so the server keeps its own latch.
    private final CountDownLatch stopped = new CountDownLatch(1);

    private IngotServer(Javalin app, Engine ownedEngine) {
        this.app = app;
        this.ownedEngine = ownedEngine;
    }

    /**
     * Serves an engine started by the caller (who closes it after the server). {@code metrics} should be the
     * listener the engine was started with, so request histograms fill; its gauges are bound to the engine here.
     */
    public static IngotServer start(Engine engine, ServerMetrics metrics, ServerConfig config) {
        return start(engine, List.of(), metrics, config);
    }

    /**
     * Serves a generation engine, embedding models, or both, all started by the caller (who closes them after the
     * server).
     *
     * @param engine     null when the server has no generation model ({@link ServerConfig#modelName()} may then be null)
     * @param embeddings embedding models, by their {@link EmbeddingService#name()}
     */
    public static IngotServer start(Engine engine, List<EmbeddingService> embeddings, ServerMetrics metrics, ServerConfig config) {
        if (engine != null) metrics.bind(engine);
        embeddings.forEach(metrics::bind);
        return new IngotServer(create(engine, embeddings, metrics, config).start(config.host(), config.port()), null);
    }

    /** Starts an engine for {@code model} and serves it; {@link #close()} closes both. */
    public static IngotServer start(LoadedModel model, EngineConfig engineConfig, ServerConfig config) {
        ServerMetrics metrics = new ServerMetrics();
        Engine engine = Engine.start(model, engineConfig, metrics);
        metrics.bind(engine);
        try {
            return new IngotServer(create(engine, List.of(), metrics, config).start(config.host(), config.port()), engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private static Javalin create(Engine engine, List<EmbeddingService> embeddings, ServerMetrics metrics, ServerConfig config) {
        if (engine != null && config.modelName() == null) throw new IllegalArgumentException("a generation model needs a model name");
        if (engine == null && embeddings.isEmpty()) throw new IllegalArgumentException("nothing to serve: no generation and no embedding model");
        Set<String> embeddingNames = new HashSet<>();
        for (EmbeddingService e : embeddings) {
            if (e.name().equals(config.modelName())) throw new IllegalArgumentException("the generation and an embedding model are both named " + e.name());
            embeddingNames.add(e.name());
        }
        String chatName = engine != null ? config.modelName() : null;
        // A model of the wrong kind for the endpoint is a 400 naming the right endpoint; an unknown one a 404.
        Function<String, ApiError> notGeneration = m -> embeddingNames.contains(m)
                ? ApiError.badRequest("`" + m + "` is an embedding model; it serves /v1/embeddings only", "model") : ApiError.modelNotFound(m);
        Function<String, ApiError> notEmbedding = m -> m.equals(chatName)
                ? ApiError.badRequest("`" + m + "` is a generation model and does not serve embeddings", "model") : ApiError.modelNotFound(m);
        GenerationHandler gen = engine != null ? new GenerationHandler(engine, config.modelName(), notGeneration) : null;
        EmbeddingHandler emb = new EmbeddingHandler(embeddings, notEmbedding);
        Javalin app = Javalin.create(c -> {
            c.useVirtualThreads = true;
            c.showJavalinBanner = false;
            c.http.prefer405over404 = true;
            c.http.maxRequestSize = 64L << 20; // long prompts are legitimate; 64 MiB bounds a hostile body
        });
        if (config.apiKey() != null) {
            byte[] key = config.apiKey().getBytes(StandardCharsets.UTF_8);
            app.before("/v1/*", ctx -> checkKey(ctx, key));
        }
        app.post("/v1/completions", ctx -> generation(gen, ctx, false, notGeneration));
        app.post("/v1/chat/completions", ctx -> generation(gen, ctx, true, notGeneration));
        app.post("/v1/embeddings", emb::handle);
        app.get("/v1/models", ctx -> ctx.contentType("application/json").result(models(chatName, engine, embeddings).toString()));
        app.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        app.exception(ApiError.class, (e, ctx) -> writeError(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, fromHttp(e.getStatus(), e.getMessage(), ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.log(System.Logger.Level.ERROR, "unhandled error in " + ctx.method() + " " + ctx.path(), e);
            writeError(ctx, new ApiError(500, "server_error", "internal error: " + e, null, null));
        });
        // Routing misses (404 / 405) that reach the status mappers without an exception.
        app.error(404, ctx -> { if (ctx.attribute(ERROR_WRITTEN) == null) writeError(ctx, fromHttp(404, "", ctx)); });
        app.error(405, ctx -> { if (ctx.attribute(ERROR_WRITTEN) == null) writeError(ctx, fromHttp(405, "", ctx)); });
        return app;
    }

    /** Completions on a server without a generation model: whatever model is named is not served here. */
    private static void generation(GenerationHandler gen, Context ctx, boolean chat, Function<String, ApiError> notGeneration) throws Exception {
        if (gen != null) {
            gen.handle(ctx, chat);
            return;
        }
        JsonNode model = RequestParser.readBody(ctx.body()).get("model");
        if (model == null || !model.isTextual()) throw ApiError.badRequest("you must provide a model parameter", "model");
        throw notGeneration.apply(model.asText());
    }

    private static void checkKey(Context ctx, byte[] key) {
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            throw ApiError.unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        // Constant-time comparison, so the key cannot be guessed byte by byte from response times.
        if (!MessageDigest.isEqual(key, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("incorrect API key provided");
        }
    }

    private static ApiError fromHttp(int status, String message, Context ctx) {
        return switch (status) {
            case 404 -> new ApiError(404, "invalid_request_error", "no route for " + ctx.method() + " " + ctx.path(), null, "not_found");
            case 405 -> new ApiError(405, "invalid_request_error", "method " + ctx.method() + " is not allowed for " + ctx.path(), null, "method_not_allowed");
            case 413 -> ApiError.badRequest("the request body is too large", null);
            default -> new ApiError(status, status >= 500 ? "server_error" : "invalid_request_error", message, null, null);
        };
    }

    private static void writeError(Context ctx, ApiError e) {
        ctx.attribute(ERROR_WRITTEN, true);
        if (ctx.res().isCommitted()) return; // mid-stream: the stream itself reports the error
        ctx.status(e.status()).contentType("application/json").result(ErrorBody.of(e).toString());
    }

    private static ObjectNode models(String chatName, Engine engine, List<EmbeddingService> embeddings) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long created = System.currentTimeMillis() / 1000;
        if (engine != null) model(data, chatName, created, engine.maxModelLen());
        for (EmbeddingService e : embeddings) model(data, e.name(), created, e.maxTokens());
        return root;
    }

    private static void model(ArrayNode data, String id, long created, int maxLen) {
        ObjectNode m = data.addObject();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "ingot");
        m.put("max_model_len", maxLen); // vLLM's extension: the longest input (plus output) accepted
    }

    /** The bound port (the chosen one when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /** Blocks until the server stops (for the CLI's foreground mode). */
    public void join() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting, ends the listener, then closes the engine if this server started it. Idempotent. */
    @Override
    public void close() {
        synchronized (stopped) {
            if (stopped.getCount() == 0) return;
            app.stop();
            if (ownedEngine != null) ownedEngine.close();
            stopped.countDown();
        }
    }
}
