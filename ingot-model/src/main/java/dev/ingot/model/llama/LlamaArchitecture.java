package dev.ingot.model.llama;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.model.arch.Architecture;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.GgufHparams;
import dev.ingot.model.gguf.GgufFile;

/**
 * Llama 2/3, SmolLM, Mistral-style models: pre-norm decoder, RMSNorm, SwiGLU, GQA, RoPE on adjacent pairs (GGUF
 * Llama Q/K are permuted at conversion for that), optional {@code rope_freqs.weight} (Llama 3.1 scaling), tied
 * embeddings when there is no {@code output.weight}.
 */
public final class LlamaArchitecture implements Architecture {
    @Override public String name() { return "llama"; }

    @Override public DecoderParams params(GgufFile f) { return GgufHparams.read(f, RopeMode.NORM); }
}
