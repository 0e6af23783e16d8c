package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.embed.MiniLm;
import dev.ingot.server.metrics.ServerMetrics;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v1/embeddings} over plain HTTP: errors in OpenAI's shape, the queue bound, disconnects, embedding-only serving. */
class EmbeddingsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = MiniLm.NAME;
    /** Admits 4 inputs at once: a request of 4 fills it. */
    private static final String SMALL_QUEUE = "small-queue";
    /** One input per forward pass, so a long request is many passes and can be cancelled between them. */
    private static final String ONE_BY_ONE = "one-by-one";
    private static final String LONG_TEXT = "Sentence embeddings map text to vectors so that similar meanings end up close together. ".repeat(6);

    private static EmbeddingService main, small, oneByOne;
    private static TestServer srv;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        main = new EmbeddingService(NAME, MiniLm.model(), new EmbeddingService.Limits(16, 64, 32, 4096));
        small = new EmbeddingService(SMALL_QUEUE, MiniLm.model(), new EmbeddingService.Limits(4, 4, 32, 4096));
        oneByOne = new EmbeddingService(ONE_BY_ONE, MiniLm.model(), new EmbeddingService.Limits(64, 64, 1, 4096));
        srv = new TestServer(TestServer.defaultConfig(), List.of(main, small, oneByOne));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
        if (srv != null) srv.close();
        for (EmbeddingService s : new EmbeddingService[] {main, small, oneByOne}) if (s != null) s.close();
    }

    private static HttpResponse<String> post(String base, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TestServer.KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> embed(String body) throws Exception {
        return post(srv.base(), "/v1/embeddings", body);
    }

    private static JsonNode error(HttpResponse<String> r, int status, String param) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertThat(e).as(r.body()).isNotNull();
        assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        if (param != null) assertThat(e.get("param").asText()).as(r.body()).isEqualTo(param);
        return e;
    }

    private static String req(String model, String input) {
        return "{\"model\":\"" + model + "\",\"input\":" + input + "}";
    }

    @Test
    void badInputsAre400sNamingTheInput() throws Exception {
        error(embed(req(NAME, "\"\"")), 400, "input");
        error(embed(req(NAME, "[]")), 400, "input");
        error(embed(req(NAME, "[[]]")), 400, "input");
        assertThat(error(embed(req(NAME, "[\"ok\",\"\"]")), 400, "input").get("message").asText()).startsWith("input[1]:");
        error(embed(req(NAME, "[\"a\",[1,2]]")), 400, "input");
        error(embed(req(NAME, "42")), 400, "input");
        error(embed("{\"model\":\"" + NAME + "\"}"), 400, "input");
        assertThat(error(embed(req(NAME, "[[101,999999,102]]")), 400, "input").get("message").asText()).contains("outside the vocabulary");
        error(embed("{\"input\":\"x\"}"), 400, "model");
        error(embed("{\"model\":\"" + NAME + "\",\"input\":\"x\",\"encoding_format\":\"int8\"}"), 400, "encoding_format");
        error(embed("{\"model\":\"" + NAME + "\",\"input\":"), 400, null); // malformed JSON
    }

    @Test
    void tooManyInputsIs400() throws Exception {
        String seventeen = "[" + "\"x\",".repeat(16) + "\"x\"]";
        assertThat(error(embed(req(NAME, seventeen)), 400, "input").get("message").asText()).contains("at most 16");
    }

    @Test
    void anInputLongerThanTheModelIs400AsOpenAiDoes() throws Exception {
        String longText = "word ".repeat(200); // 202 tokens against all-MiniLM-L6-v2's 128
        JsonNode e = error(embed(req(NAME, "[\"short\",\"" + longText + "\"]")), 400, "input");
        assertThat(e.get("message").asText()).contains("input[1]", "maximum input length is 128", "202 tokens");
        // exactly at the limit is fine: 126 words + [CLS] + [SEP]
        assertThat(embed(req(NAME, "\"" + "word ".repeat(126) + "\"")).statusCode()).isEqualTo(200);
    }

    @Test
    void dimensionsMustBeTheModelsOwn() throws Exception {
        error(embed("{\"model\":\"" + NAME + "\",\"input\":\"x\",\"dimensions\":100}"), 400, "dimensions");
        HttpResponse<String> ok = embed("{\"model\":\"" + NAME + "\",\"input\":\"x\",\"dimensions\":384}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/data/0/embedding").size()).isEqualTo(384);
    }

    @Test
    void modelsOfTheWrongKindAre400AndUnknownOnes404() throws Exception {
        assertThat(error(embed(req("nope", "\"x\"")), 404, "model").get("code").asText()).isEqualTo("model_not_found");
        assertThat(error(embed(req(TestServer.MODEL, "\"x\"")), 400, "model").get("message").asText()).contains("generation model");
        HttpResponse<String> r = post(srv.base(), "/v1/completions", "{\"model\":\"" + NAME + "\",\"prompt\":\"x\"}");
        assertThat(error(r, 400, "model").get("message").asText()).contains("/v1/embeddings");
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheQueuedRequestStillCompletes() throws Exception {
        String four = "[" + ("\"" + LONG_TEXT + "\",").repeat(3) + "\"" + LONG_TEXT + "\"]";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return embed(req(SMALL_QUEUE, four));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        await(() -> small.stats().queuedInputs() == 4);
        HttpResponse<String> refused = embed(req(SMALL_QUEUE, "\"one more\""));
        assertThat(error(refused, 503, null).get("code").asText()).isEqualTo("overloaded");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(small.stats().queuedInputs()).isZero();
        assertThat(small.stats().rejected()).isEqualTo(1);
        assertThat(embed(req(SMALL_QUEUE, "\"now there is room\"")).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatHangsUpHasItsRemainingInputsDropped() throws Exception {
        long requests = oneByOne.stats().requests(), passes = oneByOne.stats().forwardPasses();
        int n = 40; // one pass each: seconds of work if it ran to the end
        String body = req(ONE_BY_ONE, "[" + ("\"" + LONG_TEXT + "\",").repeat(n - 1) + "\"" + LONG_TEXT + "\"]");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", srv.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServer.KEY + "\r\nContent-Length: "
                    + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            await(() -> oneByOne.stats().forwardPasses() > passes);
        }
        await(() -> oneByOne.stats().queuedInputs() == 0);
        assertThat(oneByOne.stats().queuedInputs()).isZero();
        assertThat(oneByOne.stats().forwardPasses() - passes).as("passes run").isLessThan(n);
        assertThat(oneByOne.stats().requests()).as("answered").isEqualTo(requests);
    }

    @Test
    void metricsCountEmbeddingRequestsPerModel() throws Exception {
        assertThat(embed(req(NAME, "\"count me\"")).statusCode()).isEqualTo(200);
        String m = http.send(HttpRequest.newBuilder(URI.create(srv.base() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(m).containsPattern("ingot_embedding_requests_total\\{model=\"" + NAME + "\"} [1-9]")
                .contains("ingot_embedding_inputs_queued{model=\"" + SMALL_QUEUE + "\"}", "ingot_embedding_tokens_total");
    }

    @Test
    void aServerOfEmbeddingModelsOnlyServesThemAndRefusesCompletions() throws Exception {
        try (IngotServer only = IngotServer.start(null, List.of(main), new ServerMetrics(), new ServerConfig("127.0.0.1", 0, null, null))) {
            String base = "http://127.0.0.1:" + only.port();
            HttpResponse<String> ok = post(base, "/v1/embeddings", req(NAME, "\"hello\""));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).at("/usage/prompt_tokens").asInt()).isEqualTo(3);
            JsonNode models = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(models.get("data")).hasSize(1);
            assertThat(models.at("/data/0/id").asText()).isEqualTo(NAME);
            assertThat(models.at("/data/0/max_model_len").asInt()).isEqualTo(128);
            error(post(base, "/v1/chat/completions", "{\"model\":\"" + NAME + "\",\"messages\":[]}"), 400, "model");
            error(post(base, "/v1/completions", "{\"model\":\"gpt-x\",\"prompt\":\"x\"}"), 404, "model");
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting");
            Thread.sleep(5);
        }
    }
}
