package dev.ingot.model.synth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shape and hyper-parameters of a synthetic model.
 *
 * @param arch      GGUF architecture name: {@code llama} or {@code qwen2}
 * @param ctx       context length recorded in the metadata
 * @param tied      no {@code output.weight}; the output projection reuses {@code token_embd.weight}
 * @param qkvBias   qwen2-style biases on Q, K and V
 * @param llama3Rope Llama-3.1 frequency scaling (written as {@code rope_freqs.weight}), or null
 */
public record SynthConfig(String arch, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, int ctx,
                          double ropeTheta, double rmsEps, boolean tied, boolean qkvBias, Llama3Rope llama3Rope) {

    /** Llama-3.1 rope scaling parameters (from the HF config's {@code rope_scaling}). */
    public record Llama3Rope(double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {}

    public SynthConfig {
        if (!arch.equals("llama") && !arch.equals("qwen2")) {
            throw new IllegalArgumentException("unsupported arch '" + arch + "' (llama, qwen2)");
        }
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffn <= 0 || vocab <= 0 || ctx <= 0) {
            throw new IllegalArgumentException("all dimensions must be positive: " + this);
        }
        if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads " + heads + " not divisible by kv_heads " + kvHeads);
        if ((dim / heads) % 2 != 0) throw new IllegalArgumentException("head dim " + dim / heads + " must be even for RoPE");
    }

    public int headDim() { return dim / heads; }

    public int kvDim() { return kvHeads * headDim(); }

    /** Number of weights (all tensors), for progress and size estimates. */
    public long parameterCount() {
        long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * ffn
                + (qkvBias ? dim + 2L * kvDim() : 0);
        return (long) vocab * dim * (tied ? 1 : 2) + dim + layers * perLayer;
    }

    public SynthConfig withVocab(int v) {
        return new SynthConfig(arch, dim, layers, heads, kvHeads, ffn, v, ctx, ropeTheta, rmsEps, tied, qkvBias, llama3Rope);
    }

    /**
     * Parses {@code --dims}: comma-separated {@code key=value} with keys dim, layers, heads, kv_heads, ffn,
     * vocab, ctx (required except kv_heads, default heads; vocab default 32000; ctx default 2048) and optional
     * theta, eps, tied (true/false), bias (true/false), llama3_rope (scaling factor, e.g. 32).
     */
    public static SynthConfig parseDims(String arch, String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--dims: expected key=value, got '" + part + "'");
            kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        boolean qwen = arch.equals("qwen2");
        int heads = intKey(kv, "heads", null);
        SynthConfig c = new SynthConfig(arch, intKey(kv, "dim", null), intKey(kv, "layers", null), heads,
                intKey(kv, "kv_heads", heads), intKey(kv, "ffn", null), intKey(kv, "vocab", 32000),
                intKey(kv, "ctx", 2048),
                Double.parseDouble(kv.getOrDefault("theta", qwen ? "1000000" : "10000")),
                Double.parseDouble(kv.getOrDefault("eps", qwen ? "1e-6" : "1e-5")),
                Boolean.parseBoolean(kv.getOrDefault("tied", String.valueOf(qwen))),
                Boolean.parseBoolean(kv.getOrDefault("bias", String.valueOf(qwen))),
                kv.containsKey("llama3_rope")
                        ? new Llama3Rope(Double.parseDouble(kv.get("llama3_rope")), 1, 4, 8192) : null);
        kv.keySet().removeAll(java.util.List.of("dim", "layers", "heads", "kv_heads", "ffn", "vocab", "ctx", "theta",
                "eps", "tied", "bias", "llama3_rope"));
        if (!kv.isEmpty()) throw new IllegalArgumentException("--dims: unknown keys " + kv.keySet());
        return c;
    }

    private static int intKey(Map<String, String> kv, String key, Integer dflt) {
        String v = kv.get(key);
        if (v == null) {
            if (dflt == null) throw new IllegalArgumentException("--dims: missing " + key);
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--dims: " + key + "=" + v + " is not an integer");
        }
    }
}
