package dev.ingot.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigHfTest {
    @TempDir Path dir;

    /** The shape of Llama-3.2-1B-Instruct's config.json. */
    static final String LLAMA32 = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192,
             "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
             "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "tie_word_embeddings": true, "vocab_size": 128256, "attention_bias": false, "torch_dtype": "bfloat16"}
            """;

    /** The shape of Qwen2.5-0.5B-Instruct's config.json. */
    static final String QWEN25 = """
            {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 896, "intermediate_size": 4864, "max_position_embeddings": 32768,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "rope_scaling": null, "tie_word_embeddings": true, "vocab_size": 151936}
            """;

    private ModelConfig read(String json) throws IOException {
        return ModelConfig.fromHfConfig(Files.writeString(dir.resolve("config.json"), json));
    }

    @Test
    void llama32() throws IOException {
        ModelConfig c = read(LLAMA32);
        assertThat(c).isEqualTo(new ModelConfig("llama", 128256, 131072, 2048, 16, 8192, 32, 8, 64, 64, 500000f,
                RopeType.NORM, new RopeScaling(RopeScaling.Type.LLAMA3, 32, 1, 4, 8192), true, 1e-5f, true, false));
        assertThat(c.ropeScaling().llama3Factors(64, 500000)).hasSize(32).startsWith(1f).endsWith(32f);
    }

    @Test
    void qwen25() throws IOException {
        assertThat(read(QWEN25)).isEqualTo(new ModelConfig("qwen2", 151936, 32768, 896, 24, 4864, 14, 2, 64, 64,
                1_000_000f, RopeType.NEOX, RopeScaling.NONE, false, 1e-6f, true, true));
    }

    @Test
    void defaultsFollowTransformers() throws IOException {
        ModelConfig c = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 100}""");
        assertThat(c.headCountKv()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(16);
        assertThat(c.contextLength()).isEqualTo(2048);
        assertThat(c.ropeTheta()).isEqualTo(10000f);
        assertThat(c.rmsEps()).isEqualTo(1e-6f);
        assertThat(c.tiedEmbeddings()).isFalse();
    }

    @Test
    void errorsNameTheFileAndKey() throws IOException {
        Path p = dir.resolve("config.json");
        assertThatThrownBy(() -> read(LLAMA32.replace("\"hidden_size\": 2048,", "")))
                .isInstanceOf(ModelConfigException.class).hasMessage(p + ": missing required key hidden_size");
        assertThatThrownBy(() -> read(LLAMA32.replace("LlamaForCausalLM", "MistralForCausalLM")))
                .hasMessageContaining("unsupported architecture 'MistralForCausalLM'");
        assertThatThrownBy(() -> read(LLAMA32.replace("\"llama3\"", "\"dynamic\"")))
                .hasMessageContaining("unsupported rope_scaling type 'dynamic'");
        assertThatThrownBy(() -> read(LLAMA32.replace("\"num_hidden_layers\": 16", "\"num_hidden_layers\": -1")))
                .hasMessageContaining("num_hidden_layers must be a positive integer");
        assertThatThrownBy(() -> read("{\"hidden_size\": ")).hasMessageStartingWith(p + ": not valid JSON");
        assertThatThrownBy(() -> read("[1]")).hasMessageContaining("expected a JSON object");
    }
}
