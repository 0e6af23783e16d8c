package dev.ingot.model.synth;

import dev.ingot.model.synth.SynthConfig.Llama3Rope;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named shapes of real models (and tiny ones for tests), for {@code ingot synth --preset}. */
public final class Presets {
    private Presets() {}

    private static final Map<String, SynthConfig> PRESETS = new LinkedHashMap<>();

    static {
        // Llama 3.2 1B: GQA 32:8, llama3 rope scaling factor 32 over an 8192 original context, tied embeddings
        PRESETS.put("llama-3.2-1b", new SynthConfig("llama", 2048, 16, 32, 8, 8192, 128256, 131072,
                500000, 1e-5, true, false, new Llama3Rope(32, 1, 4, 8192)));
        // llama2.c's 110M TinyStories shape (Llama 2 tokenizer size)
        PRESETS.put("llama2-110m", new SynthConfig("llama", 768, 12, 12, 12, 2048, 32000, 1024,
                10000, 1e-5, false, false, null));
        // Qwen2.5 0.5B: GQA 14:2, QKV biases, tied embeddings
        PRESETS.put("qwen2.5-0.5b", new SynthConfig("qwen2", 896, 24, 14, 2, 4864, 151936, 32768,
                1e6, 1e-6, true, true, null));
        // tiny shapes for tests and quick experiments (seconds to generate, a few MB)
        PRESETS.put("tiny-llama", new SynthConfig("llama", 64, 2, 4, 2, 192, 512, 256,
                10000, 1e-5, false, false, null));
        PRESETS.put("tiny-llama3", new SynthConfig("llama", 64, 2, 4, 1, 192, 512, 256,
                500000, 1e-5, true, false, new Llama3Rope(8, 1, 4, 8192)));
        PRESETS.put("tiny-qwen2", new SynthConfig("qwen2", 64, 2, 4, 2, 160, 512, 256,
                1e6, 1e-6, true, true, null));
        // small but k-quant friendly (every row length a multiple of 256)
        PRESETS.put("small-llama", new SynthConfig("llama", 256, 4, 8, 4, 768, 4096, 1024,
                10000, 1e-5, false, false, null));
    }

    public static SynthConfig get(String name) {
        SynthConfig c = PRESETS.get(name);
        if (c == null) throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + String.join(", ", PRESETS.keySet()));
        return c;
    }

    public static Map<String, SynthConfig> all() { return java.util.Collections.unmodifiableMap(PRESETS); }
}
