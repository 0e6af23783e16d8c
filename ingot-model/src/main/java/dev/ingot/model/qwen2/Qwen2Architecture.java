package dev.ingot.model.qwen2;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.model.arch.Architecture;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.GgufHparams;
import dev.ingot.model.gguf.GgufFile;

/** Qwen2 / Qwen2.5: the Llama block with Q/K/V biases (added before rope) and NEOX (split-halves) rope. */
public final class Qwen2Architecture implements Architecture {
    @Override public String name() { return "qwen2"; }

    @Override public DecoderParams params(GgufFile f) { return GgufHparams.read(f, RopeMode.NEOX); }
}
