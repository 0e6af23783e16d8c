package dev.ingot.model.arch;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.model.gguf.GgufFile;

/**
 * Reads a decoder's hyper-parameters from GGUF metadata the way llama.cpp does ({@code <arch>.embedding_length},
 * {@code <arch>.attention.head_count_kv}, ...). A missing required key is a clear error naming it.
 */
public final class GgufHparams {
    private GgufHparams() {}

    public static DecoderParams read(GgufFile f, RopeMode ropeMode, float defaultEps) {
        String a = f.architecture();
        int nEmbd = req(f, a + ".embedding_length");
        int nLayer = req(f, a + ".block_count");
        int nHead = req(f, a + ".attention.head_count");
        int nHeadKv = (int) f.integer(a + ".attention.head_count_kv").orElse(nHead);
        int headDim = (int) f.integer(a + ".attention.key_length").orElse(nEmbd / nHead);
        int ropeDim = (int) f.integer(a + ".rope.dimension_count").orElse(headDim);
        float theta = (float) f.number(a + ".rope.freq_base").orElse(10000.0);
        float eps = (float) f.number(a + ".attention.layer_norm_rms_epsilon").orElse(defaultEps);
        int nCtx = (int) f.integer(a + ".context_length").orElse(2048);
        long nVocab = f.integer(a + ".vocab_size").orElse(f.stringArray("tokenizer.ggml.tokens").size());
        if (nVocab == 0) {
            nVocab = f.tensor("token_embd.weight").map(t -> t.shape()[0])
                    .orElseThrow(() -> new IllegalArgumentException(f.path() + ": no vocabulary size (no " + a
                            + ".vocab_size, tokenizer.ggml.tokens or token_embd.weight)"));
        }
        return new DecoderParams(nLayer, nEmbd, nHead, nHeadKv, headDim, ropeDim, theta, ropeMode, eps, (int) nVocab, nCtx);
    }

    private static int req(GgufFile f, String key) {
        long v = f.integer(key).orElseThrow(() -> new IllegalArgumentException(f.path() + ": missing metadata key '" + key + "'"));
        if (v <= 0 || v > Integer.MAX_VALUE) throw new IllegalArgumentException(f.path() + ": " + key + " = " + v + " is out of range");
        return (int) v;
    }
}
