package dev.ingot.cli;

import dev.ingot.runtime.engine.EngineConfig;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.server.IngotServer;
import dev.ingot.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingot serve}: the OpenAI-compatible HTTP server with continuous batching. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions,",
                "/v1/models, /health, /metrics).",
                "Example: ingot serve -m model.gguf --port 8080 --max-seqs 32"})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or hf://OWNER/REPO/FILE.gguf")
    String model;

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
        // Jetty and Javalin log their start-up at INFO through slf4j-simple; our own line below says what matters.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path file = ModelRefs.resolve(model, err);
        String name = modelName != null ? modelName : file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        try (LoadedModel m = LoadedModel.open(file)) {
            EngineConfig cfg = engine.toConfig(m.graph().params().nCtx());
            err.printf("ingot serve: loading %s (compiling batch buckets)...%n", file.getFileName());
            err.flush();
            try (IngotServer server = IngotServer.start(m, cfg, new ServerConfig(host, port, apiKey, name))) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ingot-serve-shutdown"));
                err.printf("ingot serve: model '%s' on http://%s:%d/v1 (max-seqs %d, max-batch-tokens %d, ctx %d, prefix caching %s%s)%n",
                        name, host, server.port(), cfg.maxNumSeqs(), cfg.maxBatchTokens(), cfg.maxModelLen(),
                        cfg.prefixCaching() ? "on" : "off", apiKey != null ? ", API key required" : "");
                err.flush();
                server.join();
            }
        }
        return 0;
    }
}
