package dev.ingot.model.config;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * GGUF metadata to {@link ModelConfig}, following llama.cpp's {@code llm_load_hparams}: required keys are
 * {@code <arch>.context_length, embedding_length, block_count, feed_forward_length, attention.head_count,
 * attention.layer_norm_rms_epsilon}; defaults: {@code head_count_kv = head_count},
 * {@code attention.key_length = embedding_length / head_count}, {@code rope.dimension_count = key_length},
 * {@code rope.freq_base = 10000}; vocabulary size from {@code <arch>.vocab_size}, else the length of
 * {@code tokenizer.ggml.tokens}, else the rows of {@code token_embd.weight}.
 */
final class GgufConfigReader {
    private final GgufFile f;
    private final String arch;

    private GgufConfigReader(GgufFile f, String arch) {
        this.f = f;
        this.arch = arch;
    }

    static ModelConfig read(GgufFile f) {
        String arch = f.string("general.architecture")
                .orElseThrow(() -> new ModelConfigException(f.path() + ": missing required key general.architecture"));
        if (!ModelConfig.SUPPORTED_ARCHITECTURES.contains(arch)) {
            throw new ModelConfigException(f.path() + ": unsupported architecture '" + arch + "' (supported: "
                    + String.join(", ", ModelConfig.SUPPORTED_ARCHITECTURES) + ")");
        }
        return new GgufConfigReader(f, arch).config();
    }

    private ModelConfig config() {
        int embd = required("embedding_length");
        int heads = required("attention.head_count");
        int headsKv = optional("attention.head_count_kv", heads);
        int headDim = optional("attention.key_length", embd / heads);
        int ropeDim = optional("rope.dimension_count", headDim);
        float theta = (float) number("rope.freq_base").orElse(10000);
        float eps = (float) number("attention.layer_norm_rms_epsilon").orElseThrow(() -> missing("attention.layer_norm_rms_epsilon"));
        boolean qkvBias = f.tensor("blk.0.attn_q.bias").isPresent();
        return new ModelConfig(arch, vocabSize(), required("context_length"), embd, required("block_count"),
                required("feed_forward_length"), heads, headsKv, headDim, ropeDim, theta,
                arch.equals("qwen2") ? RopeType.NEOX : RopeType.NORM, ropeScaling(),
                f.tensor("rope_freqs.weight").isPresent(), eps, f.tensor("output.weight").isEmpty(), qkvBias);
    }

    private RopeScaling ropeScaling() {
        String type = f.string(key("rope.scaling.type")).orElse(null);
        double factor = number("rope.scaling.factor").orElse(0);
        int orig = optional("rope.scaling.original_context_length", 0);
        if (type == null) {
            // Older files: a plain linear scale in rope.scale_linear.
            double linear = number("rope.scale_linear").orElse(1);
            return linear == 1 ? RopeScaling.NONE : new RopeScaling(RopeScaling.Type.LINEAR, linear, 0, 0, orig);
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "none" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, factor, 0, 0, orig);
            case "yarn" -> new RopeScaling(RopeScaling.Type.YARN, factor, 0, 0, orig);
            default -> throw new ModelConfigException(f.path() + ": unsupported " + key("rope.scaling.type") + " '" + type + "'");
        };
    }

    private int vocabSize() {
        OptionalLong v = integer("vocab_size");
        if (v.isPresent()) return toInt("vocab_size", v.getAsLong());
        List<String> tokens = f.stringArray("tokenizer.ggml.tokens");
        if (!tokens.isEmpty()) return tokens.size();
        return f.tensor("token_embd.weight").filter(t -> t.rank() == 2).map(GgufTensorInfo::ne).map(ne -> (int) ne[1])
                .orElseThrow(() -> new ModelConfigException(f.path() + ": no vocabulary size: missing " + key("vocab_size")
                        + ", tokenizer.ggml.tokens and token_embd.weight"));
    }

    private String key(String suffix) { return arch + "." + suffix; }

    private ModelConfigException missing(String suffix) {
        return new ModelConfigException(f.path() + ": missing required key " + key(suffix));
    }

    private int required(String suffix) {
        return toInt(suffix, integer(suffix).orElseThrow(() -> missing(suffix)));
    }

    private int optional(String suffix, int dflt) {
        OptionalLong v = integer(suffix);
        return v.isPresent() ? toInt(suffix, v.getAsLong()) : dflt;
    }

    /** An integer key; per-layer arrays (allowed by llama.cpp) are accepted when all layers agree. */
    private OptionalLong integer(String suffix) {
        String k = key(suffix);
        Object v = f.metadata().get(k);
        if (v instanceof List<?> list) {
            int[] a = f.intArray(k);
            for (int x : a) {
                if (x != a[0]) throw new ModelConfigException(f.path() + ": " + k + " differs between layers; not supported");
            }
            if (a.length == 0) throw new ModelConfigException(f.path() + ": " + k + " is an empty array");
            return OptionalLong.of(a[0]);
        }
        try {
            return f.integer(k);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(e.getMessage());
        }
    }

    private OptionalDouble number(String suffix) {
        try {
            return f.number(key(suffix));
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(e.getMessage());
        }
    }

    private int toInt(String suffix, long v) {
        if (v <= 0 || v > Integer.MAX_VALUE) throw new ModelConfigException(f.path() + ": " + key(suffix) + " = " + v + " is out of range");
        return (int) v;
    }
}
