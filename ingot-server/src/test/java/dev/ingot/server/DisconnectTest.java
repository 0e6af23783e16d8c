package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.runtime.engine.EngineStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Non-streaming requests whose client hangs up before the answer: the server writes nothing until the end, so it
 * must notice the closed socket by itself, cancel the engine request and free its KV blocks.
 */
class DisconnectTest {
    private static TestServer srv;

    @BeforeAll
    static void start() throws Exception {
        srv = new TestServer();
    }

    @AfterAll
    static void stop() {
        if (srv != null) srv.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/completions", "/v1/chat/completions"})
    void aClientThatHangsUpBeforeTheAnswerHasItsRequestCancelledAndBlocksFreed(String path) throws Exception {
        EngineStats before = srv.waitFor(s -> s.liveRequests() == 0, Duration.ofSeconds(30));
        assertThat(before.kvBlocksUsed()).isZero();
        long aborted = before.abortedRequests(), finished = before.finishedRequests();
        // 4 choices x 150 tokens with ignore_eos: seconds of work if nobody cancelled it
        String payload = path.endsWith("chat/completions")
                ? "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]"
                : "\"prompt\":\"Once upon a time\"";
        String body = "{\"model\":\"stories\"," + payload + ",\"max_tokens\":150,\"n\":4,\"ignore_eos\":true,\"temperature\":0.8}";
        try (Socket s = srv.rawPost(path, body)) {
            // wait until the engine is generating for it (blocks held), then hang up without reading anything
            EngineStats running = srv.waitFor(st -> st.kvBlocksUsed() > 0, Duration.ofSeconds(30));
            if (running.liveRequests() != 1) {
                s.setSoTimeout(5000);
                throw new AssertionError("the request did not run; the server said: " + new String(s.getInputStream().readNBytes(2000), StandardCharsets.UTF_8));
            }
        }
        EngineStats after = srv.waitFor(st -> st.liveRequests() == 0 && st.kvBlocksUsed() == 0, Duration.ofSeconds(30));
        assertThat(after.liveRequests()).isZero();
        assertThat(after.abortedRequests()).as("cancelled, not run to its end").isEqualTo(aborted + 1);
        assertThat(after.finishedRequests()).isEqualTo(finished);
        // the pool is back where it started: nothing referenced, every block allocatable
        assertThat(after.kvBlocksUsed()).isZero();
        assertThat(after.kvBlocksFree()).isEqualTo(before.kvBlocksFree()).isEqualTo(after.kvBlocksTotal());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aClientThatStaysGetsItsAnswerOnTheSameConnection(boolean twice) throws Exception {
        // the probe must not eat or break a normal exchange, nor keep-alive reuse of the connection
        String body = "{\"model\":\"stories\",\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"ignore_eos\":true,\"temperature\":0}";
        try (Socket s = srv.rawPost("/v1/completions", body)) {
            String first = readResponse(s.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 200").contains("\"completion_tokens\":40");
            if (twice) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.KEY
                        + "\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(b);
                assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").contains("\"completion_tokens\":40");
            }
        }
    }

    /** Reads one response with a Content-Length body (what Jetty sends for a result set at once). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed in the headers: " + head);
            head.append((char) c);
        }
        int len = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElseThrow(() -> new IOException("no length: " + head));
        return head + new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
