package dev.ingot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.ingot.onnx.embed.EmbeddingModel;
import dev.ingot.onnx.embed.Embeddings;
import dev.ingot.server.embed.EmbeddingService;
import dev.ingot.server.embed.MiniLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/embeddings} through the official OpenAI Java SDK, beside a generation model on the same server: the
 * vectors must be the ones {@code ingot embed} computes ({@link EmbeddingModel#embed(List, int)} with its default
 * batch of 8) for the same model.
 */
class EmbeddingsClientTest {
    static final List<String> TEXTS = List.of("Hello, world!", "The quick brown fox jumps over the lazy dog.",
            "Ingot serves embeddings and text generation from one process.");
    /**
     * Per component of unit vectors. The server batches inputs differently from the CLI (other batch mates, other
     * padding); padded positions are masked out of attention, and on the interpreter the vectors come out
     * bit-identical (measured max difference 0). The margin is for a compiled pipeline whose reductions may depend on
     * the batch's shape.
     */
    private static final double TOL = 1e-5;

    private static EmbeddingService service;
    private static TestServer srv;
    private static OpenAIClient client;
    private static Embeddings expected;

    @BeforeAll
    static void start() throws Exception {
        EmbeddingModel model = MiniLm.model();
        expected = model.embed(TEXTS, 8);
        service = new EmbeddingService(MiniLm.NAME, model, EmbeddingService.Limits.DEFAULT);
        srv = new TestServer(TestServer.defaultConfig(), List.of(service));
        client = OpenAIOkHttpClient.builder().baseUrl(srv.base() + "/v1").apiKey(TestServer.KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (srv != null) srv.close();
        if (service != null) service.close();
    }

    private static EmbeddingCreateParams.Builder params() {
        return EmbeddingCreateParams.builder().model(MiniLm.NAME);
    }

    private static void assertVector(Embedding e, float[] want) {
        List<Float> got = e.embedding();
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < want.length; i++) assertThat((double) got.get(i)).as("component " + i).isCloseTo(want[i], within(TOL));
    }

    @Test
    void sdkDefaultBase64VectorsEqualTheEmbedPipelines() {
        // The SDK asks for base64 unless told otherwise and decodes it: this checks the byte order too.
        CreateEmbeddingResponse r = client.embeddings().create(params().inputOfArrayOfStrings(TEXTS).build());
        assertThat(r.model()).isEqualTo(MiniLm.NAME);
        assertThat(r.data()).extracting(Embedding::index).containsExactly(0L, 1L, 2L);
        for (int i = 0; i < TEXTS.size(); i++) assertVector(r.data().get(i), expected.vectors().get(i));
        assertThat(r.usage().promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(r.usage().totalTokens()).isEqualTo(expected.promptTokens());
    }

    @Test
    void floatFormatAndASingleStringGiveTheSameVectors() {
        CreateEmbeddingResponse r = client.embeddings().create(params().input(TEXTS.get(1))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(r.data()).hasSize(1);
        assertVector(r.data().getFirst(), expected.vectors().get(1));
    }

    @Test
    void tokenArraysEmbedLikeTheirText() {
        // ids as the tokenizer gives them, [CLS] and [SEP] included: token input is fed to the model as given
        List<List<Long>> ids = new ArrayList<>();
        for (String t : TEXTS) ids.add(Arrays.stream(MiniLm.model().tokenizer().encode(t).ids()).mapToObj(x -> (long) x).toList());
        CreateEmbeddingResponse r = client.embeddings().create(params().inputOfArrayOfTokenArrays(ids).build());
        for (int i = 0; i < TEXTS.size(); i++) assertVector(r.data().get(i), expected.vectors().get(i));
        CreateEmbeddingResponse one = client.embeddings().create(params().inputOfArrayOfTokens(ids.getFirst()).build());
        assertVector(one.data().getFirst(), expected.vectors().getFirst());
    }

    @Test
    void concurrentRequestsShareForwardPassesAndKeepTheirOwnVectors() throws Exception {
        long passes0 = service.stats().forwardPasses();
        int n = 6;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CreateEmbeddingResponse>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String text = TEXTS.get(i % TEXTS.size());
                all.add(pool.submit(() -> client.embeddings().create(params().input(text).build())));
            }
            for (int i = 0; i < n; i++) assertVector(all.get(i).get().data().getFirst(), expected.vectors().get(i % TEXTS.size()));
        }
        // One pass runs while the others queue; the queued ones then go together (at most n passes if none merged).
        assertThat(service.stats().forwardPasses() - passes0).isLessThan(n);
    }

    @Test
    void modelsListsTheGenerationAndTheEmbeddingModel() {
        assertThat(client.models().list().data()).extracting(Model::id).containsExactly(TestServer.MODEL, MiniLm.NAME);
    }
}
