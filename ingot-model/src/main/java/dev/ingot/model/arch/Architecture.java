package dev.ingot.model.arch;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.tensor.DType;

/** One model architecture ({@code general.architecture}): reads its hyper-parameters and builds its graph. */
public interface Architecture {
    /** The GGUF name, e.g. {@code llama}. */
    String name();

    DecoderParams params(GgufFile f);

    default ModelGraph build(GgufFile f, int kvBlockSize, DType kvType) {
        DecoderParams p = params(f);
        return new ModelGraph(name(), DecoderBuilder.build(p, new GgufWeights(f), kvBlockSize, kvType), p, kvBlockSize, kvType);
    }
}
