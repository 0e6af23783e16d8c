package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ingot pull} end to end against a one-file hub on loopback (the protocol is tested in ingot-model). */
class PullCommandTest {
    private static final byte[] CONTENT = "GGUF pretend model".getBytes(StandardCharsets.UTF_8);

    record Result(int code, String out, String err) {}

    @TempDir Path dir;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CONTENT));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            if (ex.getRequestURI().getPath().equals("/o/r/resolve/main/m.gguf")) {
                ex.getResponseHeaders().add("ETag", "\"" + sha + "\"");
                ex.sendResponseHeaders(200, CONTENT.length);
                ex.getResponseBody().write(CONTENT);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Result pull(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] base = {"pull", "--cache", dir.toString(), "--endpoint", "http://127.0.0.1:" + server.getAddress().getPort()};
        int code = cl.execute(Stream.concat(Stream.of(base), Stream.of(args)).toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void pullPrintsTheCachedPathAndSkipsACompleteFile() throws IOException {
        Result r = pull("hf://o/r/m.gguf");
        Path expected = dir.resolve("models/hf/o/r/main/m.gguf");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(expected.toString());
        assertThat(Files.readAllBytes(expected)).isEqualTo(CONTENT);
        // not a terminal: a start line, no bar redraws
        assertThat(r.err()).contains("downloading hf://o/r/m.gguf").doesNotContain("\r");

        Result again = pull("hf://o/r/m.gguf");
        assertThat(again.code()).isZero();
        assertThat(again.err()).contains("already in the cache");
        assertThat(requests).hasValue(1);

        assertThat(pull("--force", "hf://o/r/m.gguf").code()).isZero();
        assertThat(requests).hasValue(2);
    }

    @Test
    void missingFileAndBadReferencesExitNonZeroWithOneClearLine() {
        Result missing = pull("hf://o/r/nope.gguf");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ingot pull: error: file 'nope.gguf' not found in o/r at revision 'main'");

        Result local = pull("/tmp/model.gguf");
        assertThat(local.code()).isEqualTo(1);
        assertThat(local.err()).contains("pull takes hf://OWNER/REPO/FILE references");

        Result incomplete = pull("hf://o/r");
        assertThat(incomplete.code()).isEqualTo(1);
        assertThat(incomplete.err()).contains("expected hf://OWNER/REPO/FILE");
    }

    @Test
    void offlineIsReportedAsSuch() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute("pull", "--cache", dir.toString(), "--endpoint", "http://127.0.0.1:" + closed, "hf://o/r/m.gguf");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach 127.0.0.1").contains("are you offline?")
                .contains("files already in the cache: none");
    }
}
