package dev.ingot.model.config;

import dev.ingot.model.gguf.GgufWriter;

/**
 * {@link ModelConfig} to GGUF metadata: the {@code <arch>.*} keys {@link GgufConfigReader} reads, with the
 * types llama.cpp's converter writes (UINT32 sizes, FLOAT32 theta and epsilon). Facts GGUF encodes as
 * tensors are not written here: tied embeddings (absence of {@code output.weight}), Q/K/V biases and llama3
 * rope factors ({@code rope_freqs.weight}) come from the tensors the caller adds.
 */
final class GgufConfigWriter {
    private GgufConfigWriter() {}

    static void write(ModelConfig c, GgufWriter w) {
        String a = c.architecture();
        w.putString("general.architecture", a);
        w.putUInt32(a + ".vocab_size", c.vocabSize());
        w.putUInt32(a + ".context_length", c.contextLength());
        w.putUInt32(a + ".embedding_length", c.embeddingDim());
        w.putUInt32(a + ".block_count", c.blockCount());
        w.putUInt32(a + ".feed_forward_length", c.feedForwardDim());
        w.putUInt32(a + ".attention.head_count", c.headCount());
        w.putUInt32(a + ".attention.head_count_kv", c.headCountKv());
        if (c.headDim() != c.embeddingDim() / c.headCount()) {
            w.putUInt32(a + ".attention.key_length", c.headDim());
            w.putUInt32(a + ".attention.value_length", c.headDim());
        }
        w.putUInt32(a + ".rope.dimension_count", c.ropeDim());
        w.putFloat32(a + ".rope.freq_base", c.ropeTheta());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", c.rmsEps());
        RopeScaling s = c.ropeScaling();
        if (s.type() == RopeScaling.Type.LINEAR || s.type() == RopeScaling.Type.YARN) {
            w.putString(a + ".rope.scaling.type", s.type().name().toLowerCase(java.util.Locale.ROOT));
            w.putFloat32(a + ".rope.scaling.factor", (float) s.factor());
            if (s.originalContextLength() > 0) w.putUInt32(a + ".rope.scaling.original_context_length", s.originalContextLength());
        }
    }
}
