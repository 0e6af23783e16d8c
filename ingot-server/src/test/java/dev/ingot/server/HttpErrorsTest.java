package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain HTTP against a live server: error statuses and bodies, auth, metrics, and a client that hangs up. */
class HttpErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer srv;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        srv = new TestServer();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (srv != null) srv.close();
    }

    private static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(srv.base() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TestServer.KEY).header("Content-Type", "application/json");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(req(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts OpenAI's error shape and returns the error object. */
    private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertThat(e).as(r.body()).isNotNull();
        assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        return e;
    }

    @Test
    void malformedJsonIs400() throws Exception {
        JsonNode e = error(post("/v1/completions", "{\"model\": \"stories\", \"prompt\": "), 400);
        assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.get("message").asText()).contains("malformed JSON");
    }

    @Test
    void unknownFieldsAreIgnoredButKnownOnesValidated() throws Exception {
        HttpResponse<String> ok = post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"Once\",\"max_tokens\":2,\"foo\":{\"bar\":1}}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/usage/completion_tokens").asInt()).isEqualTo(2);

        assertThat(error(post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"Once\",\"temperature\":-1}"), 400)
                .get("param").asText()).isEqualTo("temperature");
        assertThat(error(post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"Once\",\"temperature\":\"hot\"}"), 400)
                .get("param").asText()).isEqualTo("temperature");
        assertThat(error(post("/v1/chat/completions", "{\"model\":\"stories\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":1.5}"), 400)
                .get("param").asText()).isEqualTo("top_p");
        assertThat(error(post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"Once\",\"n\":0}"), 400)
                .get("param").asText()).isEqualTo("n");
        assertThat(error(post("/v1/chat/completions", "{\"model\":\"stories\",\"messages\":[]}"), 400)
                .get("param").asText()).isEqualTo("messages");
    }

    @Test
    void promptLongerThanTheContextIs400() throws Exception {
        String longPrompt = "Once upon a time there was a cat. ".repeat(60);
        JsonNode e = error(post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"" + longPrompt + "\"}"), 400);
        assertThat(e.get("message").asText()).contains("maximum context length is " + TestServer.MAX_MODEL_LEN);
        assertThat(e.get("param").asText()).isEqualTo("prompt");
    }

    @Test
    void maxTokensPastTheContextIs400LikeVllm() throws Exception {
        JsonNode e = error(post("/v1/chat/completions", "{\"model\":\"stories\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_tokens\":" + TestServer.MAX_MODEL_LEN + "}"), 400);
        assertThat(e.get("param").asText()).isEqualTo("max_tokens");
        assertThat(e.get("message").asText()).contains("reduce the prompt or max_tokens");
    }

    @Test
    void unknownModelIs404() throws Exception {
        JsonNode e = error(post("/v1/completions", "{\"model\":\"gpt-9\",\"prompt\":\"Once\"}"), 404);
        assertThat(e.get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void missingOrWrongApiKeyIs401() throws Exception {
        String body = "{\"model\":\"stories\",\"prompt\":\"Once\"}";
        HttpRequest none = HttpRequest.newBuilder(URI.create(srv.base() + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        error(http.send(none, HttpResponse.BodyHandlers.ofString()), 401);
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(srv.base() + "/v1/completions")).header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(error(http.send(wrong, HttpResponse.BodyHandlers.ofString()), 401).get("code").asText()).isEqualTo("invalid_api_key");
        // Health and metrics stay open for probes and scrapers.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(srv.base() + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() throws Exception {
        error(http.send(req("/v1/chat/completions").GET().build(), HttpResponse.BodyHandlers.ofString()), 405);
        error(http.send(req("/v1/nothing").GET().build(), HttpResponse.BodyHandlers.ofString()), 404);
    }

    @Test
    void metricsExposeEngineAndLatencyMeters() throws Exception {
        post("/v1/completions", "{\"model\":\"stories\",\"prompt\":\"Once\",\"max_tokens\":3}");
        String m = http.send(HttpRequest.newBuilder(URI.create(srv.base() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(m).contains("ingot_requests_running", "ingot_requests_waiting", "ingot_kv_blocks_used", "ingot_kv_blocks_free",
                "ingot_prefix_cache_hit_rate", "ingot_preemptions_total", "ingot_tier1_installs_total", "ingot_programs_compiled_total", "ingot_time_to_first_token_seconds_bucket",
                "ingot_inter_token_latency_seconds_bucket");
        assertThat(m).containsPattern("ingot_generation_tokens_total [1-9]");
    }

    @Test
    void clientDisconnectMidStreamCancelsAndFreesEveryBlock() throws Exception {
        // stories260K makes a token in well under a millisecond on a fast machine, so a whole 200-token stream can be
        // over before a slow client hangs up. An attempt counts only if the request was still running when the client
        // reset the connection; a reset (linger 0) makes the server's very next write fail, a token later at most.
        String body = "{\"model\":\"stories\",\"prompt\":\"Once upon a time\",\"max_tokens\":200,\"ignore_eos\":true,\"stream\":true}";
        for (int attempt = 1; attempt <= 5; attempt++) {
            awaitIdle();
            long abortedBefore = srv.engine.stats().abortedRequests();
            boolean liveAtHangUp;
            try (Socket s = srv.rawPost("/v1/completions", body)) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                StringBuilder seen = new StringBuilder();
                for (int events = 0; events < 3; ) {
                    int c = in.read();
                    assertThat(c).as("stream ended early: " + seen).isNotNegative();
                    seen.append((char) c);
                    if (c == ' ' && seen.length() >= 6 && seen.substring(seen.length() - 6).equals("data: ")) events++;
                }
                assertThat(seen.toString()).startsWith("HTTP/1.1 200");
                liveAtHangUp = srv.engine.stats().liveRequests() > 0;
                s.setSoLinger(true, 0);
            }
            awaitIdle();
            assertThat(srv.engine.stats().kvBlocksUsed()).isZero();
            assertThat(srv.engine.stats().kvBlocksFree()).isEqualTo(srv.engine.stats().kvBlocksTotal());
            if (liveAtHangUp) {
                assertThat(srv.engine.stats().abortedRequests()).as("cancelled, not run to its end").isEqualTo(abortedBefore + 1);
                return;
            }
            System.out.println("attempt " + attempt + ": the stream had finished before the client hung up; again");
        }
        throw new AssertionError("in 5 attempts the client never hung up while its request ran");
    }

    private static void awaitIdle() throws InterruptedException {
        assertThat(srv.waitFor(s -> s.liveRequests() == 0 && s.kvBlocksUsed() == 0, Duration.ofSeconds(20)).liveRequests()).isZero();
    }
}
