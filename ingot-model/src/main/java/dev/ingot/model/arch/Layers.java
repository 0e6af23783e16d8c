package dev.ingot.model.arch;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import java.util.Optional;

/**
 * Layer builders shared by the decoder-only architectures (llama.cpp's build_norm / build_attn / build_ffn).
 * Every intermediate gets a name of the form {@code what.layer} so activations can be dumped and compared.
 */
public final class Layers {
    private Layers() {}

    /** Attention hyper-parameters of one model. */
    public record AttnParams(int nHead, int nHeadKv, int headDim, int ropeDim, float ropeTheta, RopeMode ropeMode) {}

    /** The per-step inputs every attention layer reads. */
    public record BatchInputs(Value positions, Value tokenSeq, Value blockTables, Value seqLens, Value slots) {}

    /** {@code x · weightᵀ (+ bias when the model has it)}, named {@code name}. */
    static Value linear(GraphBuilder b, WeightSource w, Value x, String weight, String bias, String name) {
        Optional<Value> bv = bias == null ? Optional.empty() : w.find(b, bias);
        if (bv.isEmpty()) return b.linear(x, w.require(b, weight), name);
        return b.add(b.linear(x, w.require(b, weight), name + ".mm"), bv.get(), name);
    }

    /**
     * Self-attention over the paged KV cache: q/k/v projections (with optional biases), RoPE, cache write,
     * paged attention, output projection. {@code x [T, D]} -> {@code [T, D]}.
     */
    public static Value attention(GraphBuilder b, WeightSource w, Value x, int il, AttnParams p, BatchInputs in,
                                  Value kCache, Value vCache, Value ropeFreqs) {
        String blk = "blk." + il + ".";
        Value q = linear(b, w, x, blk + "attn_q.weight", blk + "attn_q.bias", "Qcur." + il);
        Value k = linear(b, w, x, blk + "attn_k.weight", blk + "attn_k.bias", "Kcur." + il);
        Value v = linear(b, w, x, blk + "attn_v.weight", blk + "attn_v.bias", "Vcur." + il);
        // q [T, H, Dh], k/v [T, Hkv, Dh]
        q = b.reshape(q, Shape.of(ForwardSignature.T, p.nHead(), p.headDim()), "Qcur.3d." + il);
        k = b.reshape(k, Shape.of(ForwardSignature.T, p.nHeadKv(), p.headDim()), "Kcur.3d." + il);
        v = b.reshape(v, Shape.of(ForwardSignature.T, p.nHeadKv(), p.headDim()), "Vcur.3d." + il);
        q = b.rope(q, in.positions(), ropeFreqs, p.ropeMode(), p.ropeDim(), p.ropeTheta(), "Qrope." + il);
        k = b.rope(k, in.positions(), ropeFreqs, p.ropeMode(), p.ropeDim(), p.ropeTheta(), "Krope." + il);
        Value kc = b.kvWrite(kCache, k, in.slots(), "k_cache_w." + il);
        Value vc = b.kvWrite(vCache, v, in.slots(), "v_cache_w." + il);
        Value a = b.pagedAttention(q, kc, vc, in.blockTables(), in.seqLens(), in.tokenSeq(), in.positions(), "kqv." + il);
        a = b.reshape(a, Shape.of(ForwardSignature.T, p.nHead() * p.headDim()), "kqv_out." + il);
        return linear(b, w, a, blk + "attn_output.weight", null, "attn_out." + il);
    }

    /** SwiGLU feed-forward: {@code down(silu(gate(x)) * up(x))}, x [T, D] -> [T, D]. */
    public static Value swiGlu(GraphBuilder b, WeightSource w, Value x, int il) {
        String blk = "blk." + il + ".";
        Value gate = linear(b, w, x, blk + "ffn_gate.weight", null, "ffn_gate." + il);
        Value up = linear(b, w, x, blk + "ffn_up.weight", null, "ffn_up." + il);
        Value act = b.mul(b.silu(gate, "ffn_silu." + il), up, "ffn_gate_par." + il);
        return linear(b, w, act, blk + "ffn_down.weight", null, "ffn_out." + il);
    }

    /**
     * The head: keeps only the rows whose logits are wanted, final RMSNorm, output projection (tied to the token
     * embedding when the model has no {@code output.weight}). h [T, D] -> logits [L, V].
     */
    public static Value lmHead(GraphBuilder b, WeightSource w, Value h, Value logitRows, float eps) {
        Value rows = b.gather(h, logitRows, 0, "result_rows");
        Value n = b.rmsNorm(rows, w.require(b, "output_norm.weight"), eps, "result_norm");
        Value out = w.find(b, "output.weight").orElseGet(() -> w.require(b, "token_embd.weight"));
        return b.linear(n, out, "result_output");
    }
}
