package dev.ingot.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.model.gguf.GgufWriter;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigGgufTest {
    @TempDir Path dir;

    private static ModelConfig config(String model) throws IOException {
        try (GgufFile g = GgufFile.open(SharedData.model(model))) {
            return ModelConfig.fromGguf(g);
        }
    }

    @Test
    void stories260k() throws IOException {
        ModelConfig c = config("stories260K.gguf");
        assertThat(c).isEqualTo(new ModelConfig("llama", 512, 2048, 64, 5, 172, 8, 4, 8, 8, 10000f, RopeType.NORM,
                RopeScaling.NONE, false, 1e-5f, false, false));
        assertThat(c.groupSize()).isEqualTo(2);
        assertThat(c.kvDim()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource({"F32", "F16", "Q8_0", "Q4_0", "Q6_K", "Q4_K_M"})
    void tinyLlamaSpm(String type) throws IOException {
        assertThat(config("tiny-llama-spm-" + type + ".gguf")).isEqualTo(new ModelConfig("llama", 32000, 512, 256, 2, 768,
                4, 2, 64, 64, 10000f, RopeType.NORM, RopeScaling.NONE, false, 1e-5f, true, false));
    }

    @Test
    void llama3WithRopeFreqsMatchingTheLlama31Rule() throws IOException {
        ModelConfig c = config("tiny-llama3-bpe-Q8_0.gguf");
        assertThat(c).isEqualTo(new ModelConfig("llama", 128256, 131072, 128, 2, 384, 4, 1, 32, 32, 500000f,
                RopeType.NORM, RopeScaling.NONE, true, 1e-5f, true, false));
        // The file's rope_freqs.weight equals what RopeScaling computes from the HF llama3 parameters.
        float[] expected = new RopeScaling(RopeScaling.Type.LLAMA3, 32, 1, 4, 8192).llama3Factors(32, 500000);
        assertThat(expected).containsExactly(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 3.2922628f, 32, 32, 32, 32, 32, 32, 32}, within(1e-6f));
        try (GgufFile g = GgufFile.open(SharedData.model("tiny-llama3-bpe-Q8_0.gguf"))) {
            GgufTensorInfo t = g.tensor("rope_freqs.weight").orElseThrow();
            float[] stored = g.data(t).toArray(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN));
            assertThat(stored).containsExactly(expected, within(1e-6f));
        }
    }

    @Test
    void qwen2() throws IOException {
        assertThat(config("tiny-qwen2-Q8_0.gguf")).isEqualTo(new ModelConfig("qwen2", 151936, 32768, 128, 2, 384, 4, 2,
                32, 32, 1_000_000f, RopeType.NEOX, RopeScaling.NONE, false, 1e-6f, true, true));
    }

    @ParameterizedTest
    @CsvSource({
            "stories260K.gguf, stories260K__p1-once-upon-a-time.json",
            "tiny-llama3-bpe-Q8_0.gguf, tiny-llama3-bpe-Q8_0__p1-hello-world-1234-5678-6912-n-c-d.json",
            "tiny-qwen2-Q8_0.gguf, tiny-qwen2-Q8_0__p1-hello-world-1234-5678-6912-n-c-d.json",
            "tiny-llama-spm-Q8_0.gguf, tiny-llama-spm-Q8_0__p1-the-quick-brown-fox-jumps-over-the-lazy-.json"})
    void agreesWithGoldenFacts(String model, String golden) throws IOException {
        JsonNode g = new ObjectMapper().readTree(SharedData.golden("logits/" + golden).toFile());
        ModelConfig c = config(model);
        assertThat(c.vocabSize()).isEqualTo(g.get("n_vocab").asInt());
        assertThat(c.ropeType().name().toLowerCase()).isEqualTo(g.get("rope_type").asText());
    }

    @Test
    void vocabOnlyFileKeepsItsModelsHyperParameters() throws IOException {
        // llama.cpp's vocab-only files carry the original model's hparams (no tensors: embeddings count as untied).
        ModelConfig c = config("vocab/ggml-vocab-llama-spm.gguf");
        assertThat(c.vocabSize()).isEqualTo(32000);
        assertThat(c.embeddingDim()).isEqualTo(4096);
        assertThat(c.tiedEmbeddings()).isTrue();
    }

    @Test
    void unknownArchitectureIsAClearError() throws IOException {
        try (GgufFile g = GgufFile.open(SharedData.model("vocab/ggml-vocab-gpt-2.gguf"))) {
            assertThatThrownBy(() -> ModelConfig.fromGguf(g)).isInstanceOf(ModelConfigException.class)
                    .hasMessageContaining("unsupported architecture 'gpt2' (supported: llama, qwen2)");
        }
    }

    @Test
    void missingRequiredKeyIsNamed() throws IOException {
        Path out = dir.resolve("m.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            new GgufWriter().copyMetadata(src).remove("llama.embedding_length").write(out);
        }
        try (GgufFile g = GgufFile.open(out)) {
            assertThatThrownBy(() -> ModelConfig.fromGguf(g)).hasMessage(out + ": missing required key llama.embedding_length");
        }
    }

    @Test
    void writeGgufRoundTrips() throws IOException {
        // headDim != embd / heads (needs key_length) and linear scaling exercise the optional keys.
        ModelConfig c = new ModelConfig("qwen2", 100, 4096, 64, 2, 128, 4, 2, 32, 16, 1e6f, RopeType.NEOX,
                new RopeScaling(RopeScaling.Type.LINEAR, 2, 0, 0, 2048), false, 1e-6f, true, true);
        Path out = dir.resolve("c.gguf");
        GgufWriter w = new GgufWriter();
        c.writeGguf(w);
        // Biases are expressed by tensors, as in llama.cpp files.
        w.addTensor("blk.0.attn_q.bias", dev.ingot.tensor.DType.F32, new long[] {128}, d -> {});
        w.write(out);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(ModelConfig.fromGguf(g)).isEqualTo(c);
        }
    }

    @Test
    void invalidValuesAreRejected() throws IOException {
        Path out = dir.resolve("m.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            new GgufWriter().copyMetadata(src).putUInt32("llama.attention.head_count_kv", 3).putString("llama.context_length", "x").write(out);
        }
        try (GgufFile g = GgufFile.open(out)) {
            assertThatThrownBy(() -> ModelConfig.fromGguf(g)).hasMessageContaining("llama.context_length").hasMessageContaining("expected an integer");
        }
        try (GgufFile src = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            new GgufWriter().copyMetadata(src).putUInt32("llama.attention.head_count_kv", 3).write(out);
        }
        try (GgufFile g = GgufFile.open(out)) {
            assertThatThrownBy(() -> ModelConfig.fromGguf(g)).hasMessageContaining("head count 8 is not a multiple of the KV head count 3");
        }
    }
}
