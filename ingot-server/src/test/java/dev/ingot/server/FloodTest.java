package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.runtime.engine.EngineConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** More concurrent work than the KV cache holds: requests queue and all complete; the pool ends all-free. */
class FloodTest {
    @Test
    void aFloodBeyondKvCapacityQueuesAndEveryRequestCompletes() throws Exception {
        // 12 blocks of 16 tokens; each request needs ~3 blocks (prompt ~5 + 40 output), so at most ~4 fit at once.
        EngineConfig small = EngineConfig.builder().maxBatchTokens(64).maxNumSeqs(8).maxModelLen(128).kvBlocks(12).threads(2).build();
        ObjectMapper json = new ObjectMapper();
        try (TestServer srv = new TestServer(small);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            String body = "{\"model\":\"stories\",\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"ignore_eos\":true,\"temperature\":0}";
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(srv.base() + "/v1/completions")).timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + TestServer.KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                all.add(clients.submit(() -> http.send(r, HttpResponse.BodyHandlers.ofString())));
            }
            String first = null;
            for (Future<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode c = json.readTree(r.body());
                assertThat(c.at("/usage/completion_tokens").asInt()).isEqualTo(40);
                // Greedy: queueing, batching and preemption must not change a request's text.
                String text = c.at("/choices/0/text").asText();
                if (first == null) first = text;
                assertThat(text).isEqualTo(first);
            }
            assertThat(srv.engine.stats().kvBlocksUsed()).isZero();
            assertThat(srv.engine.stats().failedRequests()).isZero();
        }
    }
}
