package dev.ingot.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends a {@link Workload} to a server with a given concurrency and measures it. Reusable across runs. */
public final class LoadGenerator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI completions, metrics;
    private final String model;
    private final String apiKey;
    private final HttpClient http;

    /** @param baseUrl the server root, e.g. {@code http://127.0.0.1:8080}; apiKey may be null */
    public LoadGenerator(String baseUrl, String model, String apiKey) {
        String root = baseUrl.replaceAll("/+$", "").replaceAll("/v1$", "");
        this.completions = URI.create(root + "/v1/completions");
        this.metrics = URI.create(root + "/metrics");
        this.model = model;
        this.apiKey = apiKey;
        // Streams go through HttpURLConnection instead (see one()); this client serves /metrics.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** What one request measured (nanoseconds). */
    private record Sample(boolean ok, long ttft, long[] gaps, long outputTokens) {}

    public LoadResult run(Workload w, int concurrency) throws InterruptedException {
        int total = w.prompts().length;
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < total; ) samples.add(one(w.prompts()[i], w.genLen()));
                });
            }
        } // close() waits for every client
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Double> ttft = new ArrayList<>(), itl = new ArrayList<>();
        long tokens = 0;
        int ok = 0;
        for (Sample s : samples) {
            if (!s.ok()) continue;
            ok++;
            tokens += s.outputTokens();
            ttft.add(s.ttft() / 1e6);
            for (long g : s.gaps()) itl.add(g / 1e6);
        }
        double[] t = ttft.stream().mapToDouble(Double::doubleValue).toArray(), i = itl.stream().mapToDouble(Double::doubleValue).toArray();
        return new LoadResult(concurrency, ok, total - ok, seconds, tokens, LoadResult.percentile(t, 50), LoadResult.percentile(t, 99),
                LoadResult.percentile(i, 50), LoadResult.percentile(i, 99), java.util.Arrays.stream(t).average().orElse(Double.NaN));
    }

    /**
     * One streamed request on HttpURLConnection: blocking reads on the client's own virtual thread, kept-alive
     * HTTP/1.1 connections (one per in-flight stream, as aiohttp against vLLM). java.net.http's streaming body passes
     * every chunk from its selector thread through an executor to the reader; on this 2-core machine that client
     * took ~25% of the CPU at 16 streams (16 events per engine step): the server served 1,000 tok/s to it and
     * 1,320 to 16 curl processes.
     */
    private Sample one(int[] prompt, int genLen) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.putPOJO("prompt", prompt);
        body.put("max_tokens", genLen);
        body.put("temperature", 0.0);
        body.put("ignore_eos", true);
        // logprobs 0 makes the server send an event for every token even when its text is empty or held back
        // (synthetic vocabularies have empty pieces), so TTFT and inter-token gaps are per token, not per text.
        body.put("logprobs", 0);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        long start = System.nanoTime();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) completions.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(30_000);
            c.setReadTimeout(30 * 60_000);
            c.setRequestProperty("Content-Type", "application/json");
            if (apiKey != null) c.setRequestProperty("Authorization", "Bearer " + apiKey);
            byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
            c.setFixedLengthStreamingMode(payload.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(payload);
            }
            if (c.getResponseCode() != 200) {
                try (InputStream err = c.getErrorStream()) {
                    if (err != null) err.readAllBytes(); // drain, so the connection is reused
                }
                return new Sample(false, 0, new long[0], 0);
            }
            long first = -1, last = 0, tokens = 0;
            List<Long> gaps = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
                    long now = System.nanoTime();
                    JsonNode ev = JSON.readTree(line.substring(6));
                    if (ev.hasNonNull("usage")) tokens = ev.get("usage").path("completion_tokens").asLong();
                    if (ev.has("error")) return new Sample(false, 0, new long[0], 0);
                    JsonNode ch = ev.path("choices").path(0);
                    if (ch.path("text").asText("").isEmpty() && ch.path("logprobs").path("tokens").isEmpty()) continue;
                    if (first < 0) first = now;
                    else gaps.add(now - last);
                    last = now;
                }
            }
            return new Sample(first >= 0, first - start, gaps.stream().mapToLong(Long::longValue).toArray(), tokens);
        } catch (java.io.IOException e) {
            if (c != null) c.disconnect();
            return new Sample(false, 0, new long[0], 0);
        }
    }

    /**
     * Programs the server has compiled so far ({@code ingot_programs_compiled_total} of its Prometheus
     * {@code /metrics}), or NaN when it does not report it (another server, an API key on /metrics, an error):
     * lets a benchmark warm up until the adaptive compiler has settled.
     */
    public double programsCompiled() {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).GET();
            if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return Double.NaN;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("ingot_programs_compiled_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        http.close();
    }
}
