package dev.ingot.model.config;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Hyper-parameters of a decoder-only transformer, independent of the file format they came from.
 * Invariants (checked on construction): every size is positive; {@code headCount % headCountKv == 0}
 * (grouped-query attention: query head {@code h} uses KV head {@code h / (headCount / headCountKv)});
 * {@code ropeDim <= headDim} and even.
 *
 * @param architecture   llama.cpp architecture name: "llama" or "qwen2"
 * @param vocabSize      number of tokens (rows of the embedding)
 * @param contextLength  context length the model was trained with
 * @param embeddingDim   model width {@code d_model}
 * @param blockCount     number of transformer blocks
 * @param feedForwardDim hidden width of the gated FFN
 * @param headCount      query heads
 * @param headCountKv    key/value heads
 * @param headDim        width of one head (usually {@code embeddingDim / headCount})
 * @param ropeDim        leading dimensions of a head that rope rotates (usually {@code headDim})
 * @param ropeTheta      rope frequency base
 * @param ropeType       how rope pairs dimensions
 * @param ropeScaling    long-context scaling ({@link RopeScaling#NONE} when absent)
 * @param hasRopeFreqs   rope frequencies are divided by per-pair factors ({@code rope_freqs.weight} in GGUF, or
 *                       computed from llama3 {@code ropeScaling} for Hugging Face checkpoints)
 * @param rmsEps         RMSNorm epsilon (float, as llama.cpp uses it)
 * @param tiedEmbeddings the output projection reuses {@code token_embd.weight} (no {@code output.weight})
 * @param qkvBias        Q, K and V projections have biases (qwen2)
 */
public record ModelConfig(String architecture, int vocabSize, int contextLength, int embeddingDim, int blockCount,
                          int feedForwardDim, int headCount, int headCountKv, int headDim, int ropeDim, float ropeTheta,
                          RopeType ropeType, RopeScaling ropeScaling, boolean hasRopeFreqs, float rmsEps,
                          boolean tiedEmbeddings, boolean qkvBias) {

    /** Architectures this record can describe (llama.cpp names). */
    public static final List<String> SUPPORTED_ARCHITECTURES = List.of("llama", "qwen2");

    public ModelConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(ropeType, "ropeType");
        Objects.requireNonNull(ropeScaling, "ropeScaling");
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("embeddingDim", embeddingDim);
        positive("blockCount", blockCount);
        positive("feedForwardDim", feedForwardDim);
        positive("headCount", headCount);
        positive("headCountKv", headCountKv);
        positive("headDim", headDim);
        positive("ropeDim", ropeDim);
        if (headCount % headCountKv != 0) {
            throw new ModelConfigException(architecture + ": head count " + headCount + " is not a multiple of the KV head count " + headCountKv);
        }
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw new ModelConfigException(architecture + ": rope dimension " + ropeDim + " must be even and at most the head dimension " + headDim);
        }
        if (!(ropeTheta > 0)) throw new ModelConfigException(architecture + ": rope theta must be positive: " + ropeTheta);
        if (!(rmsEps > 0)) throw new ModelConfigException(architecture + ": RMS norm epsilon must be positive: " + rmsEps);
    }

    /** Reads the hyper-parameters of a GGUF model from its {@code <arch>.*} keys, as llama.cpp does. */
    public static ModelConfig fromGguf(GgufFile gguf) {
        return GgufConfigReader.read(gguf);
    }

    /** Reads a Hugging Face {@code config.json} (LlamaForCausalLM, Qwen2ForCausalLM). */
    public static ModelConfig fromHfConfig(Path configJson) throws IOException {
        return HfConfigReader.read(configJson);
    }

    /**
     * Adds this configuration's {@code <arch>.*} keys (and {@code general.architecture}) to {@code w}. Tied
     * embeddings, biases and llama3 rope factors are expressed by the tensors the caller writes.
     */
    public void writeGguf(GgufWriter w) {
        GgufConfigWriter.write(this, w);
    }

    /** Query heads per KV head. */
    public int groupSize() { return headCount / headCountKv; }

    /** Width of all query heads together ({@code headCount * headDim}). */
    public int qDim() { return headCount * headDim; }

    /** Width of all key (or value) heads together ({@code headCountKv * headDim}). */
    public int kvDim() { return headCountKv * headDim; }

    private static void positive(String name, int v) {
        if (v <= 0) throw new ModelConfigException(name + " must be positive: " + v);
    }
}
