package dev.ingot.model.arch;

import dev.ingot.ir.LlmOp.RopeMode;

/**
 * Hyper-parameters a decoder graph needs, decoupled from how a file format spells them.
 *
 * @param ropeDim number of leading head dims rotated (= headDim unless the model uses partial rotary)
 */
public record DecoderParams(int nLayer, int nEmbd, int nHead, int nHeadKv, int headDim, int ropeDim,
                            float ropeTheta, RopeMode ropeMode, float rmsEps, int nVocab, int nCtx) {
    public DecoderParams {
        if (nLayer <= 0 || nEmbd <= 0 || nHead <= 0 || nHeadKv <= 0 || headDim <= 0 || nVocab <= 0) {
            throw new IllegalArgumentException("invalid model dimensions: " + nLayer + " layers, dim " + nEmbd
                    + ", " + nHead + " heads, " + nHeadKv + " kv heads, head dim " + headDim + ", vocab " + nVocab);
        }
        if (nHead % nHeadKv != 0) {
            throw new IllegalArgumentException(nHead + " query heads is not a multiple of " + nHeadKv + " KV heads");
        }
        if (ropeDim <= 0 || ropeDim > headDim || ropeDim % 2 != 0) {
            throw new IllegalArgumentException("rope dimension " + ropeDim + " must be even and at most head dim " + headDim);
        }
    }
}
