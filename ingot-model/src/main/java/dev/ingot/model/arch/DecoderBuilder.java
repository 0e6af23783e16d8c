package dev.ingot.model.arch;

import static dev.ingot.model.arch.ForwardSignature.*;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.model.arch.Layers.AttnParams;
import dev.ingot.model.arch.Layers.BatchInputs;
import dev.ingot.tensor.DType;

/**
 * The pre-norm decoder-only transformer shared by Llama-family architectures:
 * <pre>
 * x = embed(tokens)
 * per layer: x += attn(rms_norm(x));  x += ffn(rms_norm(x))
 * logits = output(rms_norm(x[logit_rows]))
 * </pre>
 * Architectures differ only in {@link DecoderParams} (rope style, biases are picked up when present).
 */
public final class DecoderBuilder {
    private DecoderBuilder() {}

    /** Builds the forward graph of {@link ForwardSignature} with an F32 KV cache. */
    public static Graph build(DecoderParams p, WeightSource w, int kvBlockSize) {
        return build(p, w, kvBlockSize, DType.F32);
    }

    /** Builds the forward graph of {@link ForwardSignature}; {@code kvType} (F32 or F16) types the KV cache inputs. */
    public static Graph build(DecoderParams p, WeightSource w, int kvBlockSize, DType kvType) {
        GraphBuilder b = new GraphBuilder();
        Value tokens = b.input(TOKENS, DType.I32, T);
        BatchInputs in = new BatchInputs(
                b.input(POSITIONS, DType.I32, T),
                b.input(TOKEN_SEQ, DType.I32, T),
                b.input(BLOCK_TABLES, DType.I32, S, B),
                b.input(SEQ_LENS, DType.I32, S),
                b.input(SLOTS, DType.I32, T));
        Value logitRows = b.input(LOGIT_ROWS, DType.I32, L);
        Value ropeFreqs = w.find(b, "rope_freqs.weight").orElse(null);
        AttnParams ap = new AttnParams(p.nHead(), p.nHeadKv(), p.headDim(), p.ropeDim(), p.ropeTheta(), p.ropeMode());

        // x [T, D]
        Value x = b.embedding(w.require(b, "token_embd.weight"), tokens, "inp_embd");
        for (int il = 0; il < p.nLayer(); il++) {
            String blk = "blk." + il + ".";
            Value kCache = b.input(kCache(il), kvType, NB, kvBlockSize, p.nHeadKv(), p.headDim());
            Value vCache = b.input(vCache(il), kvType, NB, kvBlockSize, p.nHeadKv(), p.headDim());
            Value h = b.rmsNorm(x, w.require(b, blk + "attn_norm.weight"), p.rmsEps(), "attn_norm." + il);
            Value attn = Layers.attention(b, w, h, il, ap, in, kCache, vCache, ropeFreqs);
            x = b.add(x, attn, "ffn_inp." + il);
            h = b.rmsNorm(x, w.require(b, blk + "ffn_norm.weight"), p.rmsEps(), "ffn_norm." + il);
            x = b.add(x, Layers.swiGlu(b, w, h, il), "l_out." + il);
        }
        Value logits = Layers.lmHead(b, w, x, logitRows, p.rmsEps());
        return b.output(logits).build();
    }
}
