package dev.ingot.model.arch;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.model.config.ModelConfig;
import dev.ingot.model.gguf.GgufFile;

/**
 * A decoder's graph hyper-parameters from GGUF metadata, through {@link ModelConfig#fromGguf} (which reads the keys
 * as llama.cpp does and names any missing one). The rope style is the architecture's, not the file's.
 */
public final class GgufHparams {
    private GgufHparams() {}

    public static DecoderParams read(GgufFile f, RopeMode ropeMode) {
        return of(ModelConfig.fromGguf(f), ropeMode);
    }

    public static DecoderParams of(ModelConfig c, RopeMode ropeMode) {
        return new DecoderParams(c.blockCount(), c.embeddingDim(), c.headCount(), c.headCountKv(), c.headDim(), c.ropeDim(),
                c.ropeTheta(), ropeMode, c.rmsEps(), c.vocabSize(), c.contextLength());
    }
}
