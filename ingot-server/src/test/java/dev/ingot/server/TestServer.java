package dev.ingot.server;

import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.EngineConfig;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.metrics.ServerMetrics;
import dev.ingot.testkit.SharedData;
import dev.ingot.runtime.engine.EngineStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** A real server on a free loopback port over stories260K (a trained model: its greedy text is known). */
final class TestServer implements AutoCloseable {
    static final String KEY = "test-key";
    static final String MODEL = "stories";
    /** Small context, so "prompt longer than the context" needs only a short prompt. */
    static final int MAX_MODEL_LEN = 256;

    final LoadedModel model;
    final Engine engine;
    final IngotServer server;

    TestServer() throws IOException {
        this(defaultConfig());
    }

    TestServer(EngineConfig config) throws IOException {
        this(config, List.of());
    }

    /** Serves stories260K and {@code embeddings} (which the caller closes). */
    TestServer(EngineConfig config, List<EmbeddingService> embeddings) throws IOException {
        model = LoadedModel.open(SharedData.model("stories260K.gguf"));
        ServerMetrics metrics = new ServerMetrics();
        engine = Engine.start(model, config, metrics);
        server = IngotServer.start(engine, embeddings, metrics, new ServerConfig("127.0.0.1", 0, KEY, MODEL));
    }

    static EngineConfig defaultConfig() {
        return EngineConfig.builder().maxBatchTokens(64).maxNumSeqs(8).maxModelLen(MAX_MODEL_LEN).threads(2).build();
    }

    /** Polls the engine's stats until {@code p} holds or {@code timeout} passes; returns the last stats. */
    EngineStats waitFor(Predicate<EngineStats> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!p.test(engine.stats()) && System.nanoTime() < deadline) Thread.sleep(10);
        return engine.stats();
    }

    /** A raw HTTP/1.1 POST with the key, so a test controls exactly when and how the connection closes. */
    Socket rawPost(String path, String body) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        return s;
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        model.close();
    }
}
