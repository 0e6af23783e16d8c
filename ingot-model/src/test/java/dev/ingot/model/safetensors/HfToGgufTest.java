package dev.ingot.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.config.ModelConfig;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GGUF -> HF (test-side: rename, inverse Q/K permutation, config.json) -> GGUF (HfToGguf) must reproduce
 * the original model exactly: same hyper-parameters, same tensor types, shapes and bytes.
 */
class HfToGgufTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tiny-llama-spm-F16.gguf"})
    void roundTripThroughHuggingFaceLayoutIsExact(String model) throws IOException {
        Path hf = Files.createDirectory(dir.resolve("hf"));
        Path out = dir.resolve("back.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model(model)); Arena arena = Arena.ofConfined()) {
            ModelConfig c = ModelConfig.fromGguf(src);
            SafetensorsWriter sw = new SafetensorsWriter().metadata("format", "pt");
            for (GgufTensorInfo t : src.tensors()) {
                MemorySegment data = src.data(t);
                OptionalInt heads = HfTensorNames.permutationHeads(c, t.name());
                if (heads.isPresent()) {
                    MemorySegment hfOrder = arena.allocate(data.byteSize());
                    QkPermutation.ggufToHf(data, hfOrder, t.shape()[0], heads.getAsInt());
                    data = hfOrder;
                }
                sw.add(HfTensorNames.toHf(t.name()).orElseThrow(), t.type(), t.shape(), data);
            }
            sw.write(hf.resolve("model.safetensors"));
            Files.writeString(hf.resolve("config.json"), configJson(c));
            try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(hf)) {
                ModelConfig hfConfig = ModelConfig.fromHfConfig(ckpt.configJson().orElseThrow());
                HfToGguf.Result r = HfToGguf.convert(ckpt, hfConfig, src, out);
                assertThat(r.tensors()).isEqualTo(src.tensors().size());
                assertThat(r.skipped()).isEmpty();
            }
            try (GgufFile back = GgufFile.open(out)) {
                assertThat(ModelConfig.fromGguf(back)).isEqualTo(c);
                assertThat(back.stringArray("tokenizer.ggml.tokens")).isEqualTo(src.stringArray("tokenizer.ggml.tokens"));
                assertThat(back.tensors()).hasSameSizeAs(src.tensors());
                for (GgufTensorInfo t : src.tensors()) {
                    GgufTensorInfo b = back.tensor(t.name()).orElseThrow();
                    assertThat(b.type()).isEqualTo(t.type());
                    assertThat(b.ne()).containsExactly(t.ne());
                    assertThat(back.data(b).mismatch(src.data(t))).as(t.name()).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void llama3RopeScalingBecomesRopeFreqs() throws IOException {
        Path hf = Files.createDirectory(dir.resolve("hf3"));
        new SafetensorsWriter().add("model.embed_tokens.weight", dev.ingot.tensor.DType.F32, new long[] {4, 64},
                MemorySegment.ofArray(new float[256]))
                .add("model.layers.0.self_attn.rotary_emb.inv_freq", dev.ingot.tensor.DType.F32, new long[] {16}, MemorySegment.ofArray(new float[16]))
                .write(hf.resolve("model.safetensors"));
        Files.writeString(hf.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "vocab_size": 4, "rope_theta": 500000.0, "tie_word_embeddings": true,
                 "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192}}""");
        Path out = dir.resolve("l3.gguf");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(hf)) {
            HfToGguf.Result r = HfToGguf.convert(ckpt, ModelConfig.fromHfConfig(ckpt.configJson().orElseThrow()), null, out);
            assertThat(r.skipped()).containsExactly("model.layers.0.self_attn.rotary_emb.inv_freq");
            assertThat(r.tensors()).isEqualTo(1);
        }
        try (GgufFile g = GgufFile.open(out)) {
            ModelConfig c = ModelConfig.fromGguf(g);
            assertThat(c.hasRopeFreqs()).isTrue();
            assertThat(c.ropeTheta()).isEqualTo(500000f);
            float[] f = g.data(g.tensor("rope_freqs.weight").orElseThrow()).toArray(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN));
            // The values shared/golden documents for tiny-llama3-bpe (same head_dim 32, theta and scaling).
            assertThat(f).containsExactly(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 3.2922628f, 32, 32, 32, 32, 32, 32, 32}, within(1e-6f));
        }
    }

    private static String configJson(ModelConfig c) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.putArray("architectures").add(c.architecture().equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        n.put("hidden_size", c.embeddingDim());
        n.put("intermediate_size", c.feedForwardDim());
        n.put("num_hidden_layers", c.blockCount());
        n.put("num_attention_heads", c.headCount());
        n.put("num_key_value_heads", c.headCountKv());
        n.put("head_dim", c.headDim());
        n.put("vocab_size", c.vocabSize());
        n.put("max_position_embeddings", c.contextLength());
        n.put("rms_norm_eps", (double) c.rmsEps());
        n.put("rope_theta", (double) c.ropeTheta());
        n.put("tie_word_embeddings", c.tiedEmbeddings());
        return n.toString();
    }
}
