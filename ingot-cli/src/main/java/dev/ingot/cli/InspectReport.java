package dev.ingot.cli;

import dev.ingot.model.config.ModelConfig;
import dev.ingot.model.config.ModelConfigException;
import dev.ingot.model.config.RopeScaling;
import dev.ingot.model.gguf.GgufArray;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.model.safetensors.HfTensorNames;
import dev.ingot.model.safetensors.SafetensorsCheckpoint;
import dev.ingot.model.safetensors.SafetensorsTensorInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code ingot inspect} reports about a model, as an ordered tree of maps, lists and scalars: the
 * JSON output serialises it as is and the text output renders the same tree, so both always say the same.
 * Top-level keys: file, format, version, alignment, architecture, hyperparameters (or
 * hyperparameters_unavailable with the reason), tokenizer, metadata, tensors, tensor_count, total_bytes,
 * parameter_count.
 */
final class InspectReport {
    /** Arrays longer than this are abbreviated to their first {@link #ARRAY_HEAD} elements. */
    static final int ARRAY_LIMIT = 16;
    static final int ARRAY_HEAD = 8;

    /** Keys summarised in the tokenizer section instead of the metadata listing. */
    private static final Set<String> TOKENIZER_KEYS = Set.of("tokenizer.ggml.model", "tokenizer.ggml.pre",
            "tokenizer.ggml.tokens", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
            "tokenizer.ggml.eot_token_id", "tokenizer.ggml.add_bos_token", "tokenizer.ggml.add_eos_token",
            "tokenizer.ggml.merges");

    private InspectReport() {}

    static Map<String, Object> ofGguf(GgufFile g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", g.path().toString());
        r.put("format", "gguf");
        r.put("version", g.version());
        r.put("alignment", g.alignment());
        r.put("architecture", g.string("general.architecture").orElse(null));
        if (g.tensors().isEmpty()) {
            r.put("hyperparameters_unavailable", "vocabulary-only file, no tensors");
        } else {
            try {
                r.put("hyperparameters", hyperparameters(ModelConfig.fromGguf(g)));
            } catch (ModelConfigException e) {
                r.put("hyperparameters_unavailable", e.getMessage());
            }
        }
        if (g.metadata().containsKey("tokenizer.ggml.model")) r.put("tokenizer", tokenizer(g));
        Map<String, Object> meta = new LinkedHashMap<>();
        g.metadata().forEach((k, v) -> {
            if (!TOKENIZER_KEYS.contains(k)) meta.put(k, abbreviate(v));
        });
        r.put("metadata", meta);
        List<Object> tensors = new ArrayList<>();
        long bytes = 0, params = 0;
        for (GgufTensorInfo t : g.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("type", t.type().name());
            m.put("shape", t.shape());
            m.put("bytes", t.bytes());
            tensors.add(m);
            bytes += t.bytes();
            params += t.elements();
        }
        putTensors(r, tensors, bytes, params);
        return r;
    }

    static Map<String, Object> ofSafetensors(SafetensorsCheckpoint c) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", c.root().toString());
        r.put("format", "safetensors");
        r.put("shards", c.shards().stream().map(s -> s.path().getFileName().toString()).toList());
        Optional<java.nio.file.Path> config = c.configJson();
        if (config.isPresent()) {
            try {
                ModelConfig mc = ModelConfig.fromHfConfig(config.get());
                r.put("architecture", mc.architecture());
                r.put("hyperparameters", hyperparameters(mc));
            } catch (ModelConfigException e) {
                r.put("hyperparameters_unavailable", e.getMessage());
            }
        } else {
            r.put("hyperparameters_unavailable", "no config.json beside the weights");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        c.shards().forEach(s -> meta.putAll(s.metadata()));
        r.put("metadata", meta);
        List<Object> tensors = new ArrayList<>();
        long bytes = 0, params = 0;
        for (SafetensorsTensorInfo t : c.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("type", t.type().name());
            m.put("shape", t.shape());
            m.put("bytes", t.bytes());
            m.put("gguf_name", HfTensorNames.toGguf(t.name()).orElse(null));
            tensors.add(m);
            bytes += t.bytes();
            params += t.elements();
        }
        putTensors(r, tensors, bytes, params);
        return r;
    }

    private static void putTensors(Map<String, Object> r, List<Object> tensors, long bytes, long params) {
        r.put("tensors", tensors);
        r.put("tensor_count", tensors.size());
        r.put("total_bytes", bytes);
        r.put("parameter_count", params);
    }

    private static Map<String, Object> hyperparameters(ModelConfig c) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("vocab_size", c.vocabSize());
        h.put("context_length", c.contextLength());
        h.put("embedding_dim", c.embeddingDim());
        h.put("block_count", c.blockCount());
        h.put("feed_forward_dim", c.feedForwardDim());
        h.put("head_count", c.headCount());
        h.put("head_count_kv", c.headCountKv());
        h.put("head_dim", c.headDim());
        h.put("rope_dim", c.ropeDim());
        h.put("rope_theta", c.ropeTheta());
        h.put("rope_type", c.ropeType().name().toLowerCase(java.util.Locale.ROOT));
        if (c.ropeScaling().type() != RopeScaling.Type.NONE) {
            RopeScaling s = c.ropeScaling();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
            m.put("factor", s.factor());
            if (s.type() == RopeScaling.Type.LLAMA3) {
                m.put("low_freq_factor", s.lowFreqFactor());
                m.put("high_freq_factor", s.highFreqFactor());
            }
            m.put("original_context_length", s.originalContextLength());
            h.put("rope_scaling", m);
        }
        h.put("rope_freqs", c.hasRopeFreqs());
        h.put("rms_eps", c.rmsEps());
        h.put("tied_embeddings", c.tiedEmbeddings());
        h.put("qkv_bias", c.qkvBias());
        return h;
    }

    /** Tokenizer summary; add_bos falls back to llama.cpp's default for the vocabulary type when not stored. */
    private static Map<String, Object> tokenizer(GgufFile g) {
        Map<String, Object> t = new LinkedHashMap<>();
        String model = g.string("tokenizer.ggml.model").orElse(null);
        String pre = g.string("tokenizer.ggml.pre").orElse(null);
        t.put("model", model);
        t.put("pre", pre);
        t.put("vocab_size", g.stringArray("tokenizer.ggml.tokens").size());
        t.put("merges", g.stringArray("tokenizer.ggml.merges").size());
        t.put("bos_id", id(g, "tokenizer.ggml.bos_token_id"));
        t.put("eos_id", id(g, "tokenizer.ggml.eos_token_id"));
        t.put("eot_id", id(g, "tokenizer.ggml.eot_token_id"));
        Optional<Boolean> addBos = g.bool("tokenizer.ggml.add_bos_token");
        t.put("add_bos", addBos.orElse(defaultAddBos(model, pre)));
        t.put("add_bos_source", addBos.isPresent() ? "metadata" : "default");
        t.put("add_eos", g.bool("tokenizer.ggml.add_eos_token").orElse(false));
        t.put("chat_template", g.metadata().containsKey("tokenizer.chat_template"));
        return t;
    }

    /** llama.cpp (llama-vocab.cpp): SentencePiece adds BOS; byte-level BPE only for the Llama-3 pre-tokenizers. */
    static boolean defaultAddBos(String model, String pre) {
        if ("llama".equals(model)) return true;
        return "gpt2".equals(model) && pre != null && Set.of("llama3", "llama-v3", "llama-bpe", "falcon3").contains(pre);
    }

    private static Long id(GgufFile g, String key) {
        // UINT32 0xFFFFFFFF (and negative INT32) mean "no such token".
        return g.integer(key).stream().boxed().filter(v -> v >= 0 && v != 0xFFFF_FFFFL).findFirst().orElse(null);
    }

    /** Arrays longer than {@link #ARRAY_LIMIT}: {type, length, head}; shorter ones and scalars as they are. */
    static Object abbreviate(Object v) {
        if (v instanceof GgufArray a && a.size() > ARRAY_LIMIT) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("array_of", a.elementType().name());
            m.put("length", a.size());
            m.put("head", new ArrayList<>(a.subList(0, ARRAY_HEAD)));
            return m;
        }
        return v instanceof GgufArray a ? new ArrayList<>(a) : v;
    }
}
