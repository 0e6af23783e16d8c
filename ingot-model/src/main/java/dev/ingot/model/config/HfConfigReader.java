package dev.ingot.model.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Hugging Face {@code config.json} to {@link ModelConfig} for {@code LlamaForCausalLM} and
 * {@code Qwen2ForCausalLM}. Required: {@code vocab_size, hidden_size, intermediate_size,
 * num_hidden_layers, num_attention_heads}. Defaults follow the transformers config classes:
 * {@code num_key_value_heads = num_attention_heads}, {@code head_dim = hidden_size / num_attention_heads},
 * {@code rope_theta = 10000}, {@code rms_norm_eps = 1e-6}, {@code tie_word_embeddings = false},
 * {@code max_position_embeddings} 2048 (llama) / 32768 (qwen2); qwen2 always has Q/K/V biases, llama
 * when {@code attention_bias} is true.
 *
 * <p>Rope type: llama is NORM because the loader permutes Q/K rows into GGUF order (see
 * {@code dev.ingot.model.safetensors.HfTensorNames}); qwen2 is NEOX and is not permuted.
 */
final class HfConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    private HfConfigReader(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static ModelConfig read(Path configJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (JacksonException e) {
            throw new ModelConfigException(configJson + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new ModelConfigException(configJson + ": expected a JSON object");
        return new HfConfigReader(configJson, root).config();
    }

    private ModelConfig config() {
        String arch = architecture();
        int hidden = required("hidden_size");
        int heads = required("num_attention_heads");
        int headDim = optional("head_dim", hidden / heads);
        RopeScaling scaling = ropeScaling();
        boolean qkvBias = arch.equals("qwen2") || root.path("attention_bias").asBoolean(false);
        return new ModelConfig(arch, required("vocab_size"),
                optional("max_position_embeddings", arch.equals("qwen2") ? 32768 : 2048), hidden,
                required("num_hidden_layers"), required("intermediate_size"), heads,
                optional("num_key_value_heads", heads), headDim, headDim,
                (float) number("rope_theta", 10000), arch.equals("qwen2") ? RopeType.NEOX : RopeType.NORM, scaling,
                scaling.type() == RopeScaling.Type.LLAMA3, (float) number("rms_norm_eps", 1e-6),
                root.path("tie_word_embeddings").asBoolean(false), qkvBias);
    }

    private String architecture() {
        JsonNode archs = root.path("architectures");
        String name = archs.isArray() && !archs.isEmpty() ? archs.get(0).asText() : null;
        String modelType = root.path("model_type").asText("");
        if ("LlamaForCausalLM".equals(name) || (name == null && modelType.equals("llama"))) return "llama";
        if ("Qwen2ForCausalLM".equals(name) || (name == null && modelType.equals("qwen2"))) return "qwen2";
        throw new ModelConfigException(file + ": unsupported architecture '" + (name != null ? name : modelType)
                + "' (supported: LlamaForCausalLM, Qwen2ForCausalLM)");
    }

    private RopeScaling ropeScaling() {
        JsonNode s = root.path("rope_scaling");
        if (s.isMissingNode() || s.isNull()) return RopeScaling.NONE;
        if (!s.isObject()) throw new ModelConfigException(file + ": rope_scaling is not an object");
        // transformers renamed "type" to "rope_type"; accept both.
        String type = s.has("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("");
        double factor = s.path("factor").asDouble(1);
        int orig = s.path("original_max_position_embeddings").asInt(0);
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "default", "" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, factor, 0, 0, orig);
            case "yarn" -> new RopeScaling(RopeScaling.Type.YARN, factor, 0, 0, orig);
            case "llama3" -> new RopeScaling(RopeScaling.Type.LLAMA3, s.path("factor").asDouble(8),
                    s.path("low_freq_factor").asDouble(1), s.path("high_freq_factor").asDouble(4), s.path("original_max_position_embeddings").asInt(8192));
            default -> throw new ModelConfigException(file + ": unsupported rope_scaling type '" + type + "'");
        };
    }

    private int required(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new ModelConfigException(file + ": missing required key " + key);
        return toInt(key, n);
    }

    private int optional(String key, int dflt) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? dflt : toInt(key, n);
    }

    private double number(String key, double dflt) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw new ModelConfigException(file + ": " + key + " is not a number: " + n);
        return n.asDouble();
    }

    private int toInt(String key, JsonNode n) {
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
            throw new ModelConfigException(file + ": " + key + " must be a positive integer: " + n);
        }
        return n.asInt();
    }
}
