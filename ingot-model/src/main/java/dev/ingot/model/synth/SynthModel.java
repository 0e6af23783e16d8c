package dev.ingot.model.synth;

import dev.ingot.model.gguf.GgufArray;
import dev.ingot.model.gguf.GgufValueType;
import dev.ingot.model.quant.QuantRecipe;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.QuantTypes;
import dev.ingot.tensor.quant.Quantize;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A synthetic model ready to be written: typed metadata entries in file order, the tensor plan, and
 * {@link #encodeRow} which produces any tensor row's bytes from (seed, tensor, row) alone.
 */
public final class SynthModel {

    /** One metadata key with its GGUF value type ({@code value} is a boxed scalar, String or {@link GgufArray}). */
    public record Meta(String key, GgufValueType type, Object value) {
        public Meta {
            Objects.requireNonNull(key);
            Objects.requireNonNull(type);
            Objects.requireNonNull(value);
        }
    }

    private final SynthConfig config;
    private final QuantRecipe recipe;
    private final long seed;
    private final List<Meta> metadata;
    private final List<SynthTensor> tensors;
    private final float[] ropeFactors;

    private SynthModel(SynthConfig config, QuantRecipe recipe, long seed, List<Meta> metadata) {
        this.config = config;
        this.recipe = recipe;
        this.seed = seed;
        this.metadata = List.copyOf(metadata);
        this.tensors = SynthPlan.tensors(config, recipe);
        this.ropeFactors = config.llama3Rope() != null ? SynthPlan.llama3RopeFactors(config) : null;
    }

    /**
     * Plans a model. {@code tokenizer} holds the {@code tokenizer.*} entries to write, or is null for the
     * built-in {@link FallbackVocab} (then {@code config.vocab()} tokens).
     */
    public static SynthModel create(SynthConfig config, DType weightType, long seed, String name, List<Meta> tokenizer) {
        if (!QuantTypes.isWeightType(weightType)) throw new IllegalArgumentException("cannot store weights as " + weightType);
        return create(config, QuantRecipe.parse(weightType.name()), seed, name, tokenizer);
    }

    /** As {@link #create(SynthConfig, DType, long, String, List)} with a quantisation recipe (e.g. q4_k_m). */
    public static SynthModel create(SynthConfig config, QuantRecipe recipe, long seed, String name, List<Meta> tokenizer) {
        String a = config.arch();
        List<Meta> m = new ArrayList<>();
        m.add(new Meta("general.architecture", GgufValueType.STRING, a));
        m.add(new Meta("general.name", GgufValueType.STRING, name));
        m.add(new Meta("general.file_type", GgufValueType.UINT32, recipe.fileType()));
        m.add(new Meta("general.quantization_version", GgufValueType.UINT32, 2));
        m.add(new Meta("ingot.synth.seed", GgufValueType.UINT64, seed));
        m.add(new Meta(a + ".vocab_size", GgufValueType.UINT32, config.vocab()));
        m.add(new Meta(a + ".context_length", GgufValueType.UINT32, config.ctx()));
        m.add(new Meta(a + ".embedding_length", GgufValueType.UINT32, config.dim()));
        m.add(new Meta(a + ".block_count", GgufValueType.UINT32, config.layers()));
        m.add(new Meta(a + ".feed_forward_length", GgufValueType.UINT32, config.ffn()));
        m.add(new Meta(a + ".attention.head_count", GgufValueType.UINT32, config.heads()));
        m.add(new Meta(a + ".attention.head_count_kv", GgufValueType.UINT32, config.kvHeads()));
        m.add(new Meta(a + ".rope.freq_base", GgufValueType.FLOAT32, (float) config.ropeTheta()));
        m.add(new Meta(a + ".attention.layer_norm_rms_epsilon", GgufValueType.FLOAT32, (float) config.rmsEps()));
        m.add(new Meta(a + ".rope.dimension_count", GgufValueType.UINT32, config.headDim()));
        if (tokenizer != null) {
            m.addAll(tokenizer);
        } else {
            int v = config.vocab();
            m.add(new Meta("tokenizer.ggml.model", GgufValueType.STRING, "llama"));
            m.add(new Meta("tokenizer.ggml.tokens", GgufValueType.ARRAY, GgufArray.ofStrings(FallbackVocab.tokens(v))));
            m.add(new Meta("tokenizer.ggml.scores", GgufValueType.ARRAY, GgufArray.ofFloat32(new float[v])));
            m.add(new Meta("tokenizer.ggml.token_type", GgufValueType.ARRAY, GgufArray.ofInt32(FallbackVocab.tokenTypes(v))));
            m.add(new Meta("tokenizer.ggml.bos_token_id", GgufValueType.UINT32, 1));
            m.add(new Meta("tokenizer.ggml.eos_token_id", GgufValueType.UINT32, 2));
            m.add(new Meta("tokenizer.ggml.unknown_token_id", GgufValueType.UINT32, 0));
            m.add(new Meta("tokenizer.ggml.add_bos_token", GgufValueType.BOOL, true));
            m.add(new Meta("tokenizer.ggml.add_eos_token", GgufValueType.BOOL, false));
        }
        return new SynthModel(config, recipe, seed, m);
    }

    /**
     * The {@code tokenizer.*} entries of {@code src} (types preserved), for {@code --vocab-from}; with
     * {@link #vocabSize} they set the model's vocabulary.
     */
    public static List<Meta> tokenizerFrom(dev.ingot.model.gguf.GgufFile src) {
        List<Meta> out = new ArrayList<>();
        for (var e : src.metadata().entrySet()) {
            if (e.getKey().startsWith("tokenizer.")) {
                out.add(new Meta(e.getKey(), src.valueType(e.getKey()).orElseThrow(), e.getValue()));
            }
        }
        if (vocabSize(out) < 0) throw new IllegalArgumentException(src.path() + " has no tokenizer.ggml.tokens");
        return out;
    }

    /** Number of tokens in {@code tokenizer.ggml.tokens} among {@code tokenizer}, or -1. */
    public static int vocabSize(List<Meta> tokenizer) {
        for (Meta m : tokenizer) {
            if (m.key().equals("tokenizer.ggml.tokens") && m.value() instanceof List<?> l) return l.size();
        }
        return -1;
    }

    public SynthConfig config() { return config; }

    /** The main weight type (the recipe's base). */
    public DType weightType() { return recipe.base(); }

    public QuantRecipe recipe() { return recipe; }

    public long seed() { return seed; }

    public List<Meta> metadata() { return metadata; }

    public List<SynthTensor> tensors() { return tensors; }

    /** Total bytes of tensor data (without alignment padding). */
    public long dataBytes() {
        long b = 0;
        for (SynthTensor t : tensors) b += t.bytes();
        return b;
    }

    /**
     * Writes row {@code row} of {@code t} as {@code t.type()} into {@code out[off..]}. {@code scratch} must
     * hold {@code t.rowLength()} floats; it is the caller's (one per thread).
     */
    public void encodeRow(SynthTensor t, long row, byte[] out, int off, float[] scratch) {
        int n = Math.toIntExact(t.rowLength());
        if (t.init() == SynthTensor.Init.ROPE_FREQS) {
            System.arraycopy(ropeFactors, 0, scratch, 0, n);
        } else {
            WeightRng.forRow(seed, t.index(), row).fill(scratch, n, t.init().mean, t.init().std);
        }
        Quantize.row(t.type(), scratch, 0, n, out, off);
    }
}
