package dev.ingot.ir.interp;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * A random-weight Llama-style decoder over the flattened batch, for interpreter tests: F32 embedding, Q8_0
 * projections and output head, NEOX RoPE, GQA paged attention, SwiGLU FFN.
 */
final class TinyLlama {
    final int vocab, dim, layers, heads, kvHeads, headDim, ffn, numBlocks, blockSize;

    TinyLlama(int vocab, int dim, int layers, int heads, int kvHeads, int ffn, int numBlocks, int blockSize) {
        this.vocab = vocab;
        this.dim = dim;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = dim / heads;
        this.ffn = ffn;
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
    }

    Graph build(String seedName) {
        Random r = Seeds.random(seedName);
        GraphBuilder b = new GraphBuilder();
        Value tokens = b.input("tokens", DType.I32, "T");
        Value pos = b.input("positions", DType.I32, "T");
        Value slots = b.input("slots", DType.I32, "T");
        Value bt = b.input("block_tables", DType.I32, "S", "B");
        Value lens = b.input("seq_lens", DType.I32, "S");
        Value seq = b.input("token_seq", DType.I32, "T");
        Value x = b.embedding(f32(b, r, "token_embd.weight", vocab, dim), tokens, "inp_embd");
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            // attention: x [T, dim] -> q [T, H, hd], k/v [T, Hkv, hd]
            Value h = b.rmsNorm(x, f32(b, r, p + "attn_norm.weight", dim), 1e-5f, "attn_norm." + l);
            Value q = b.reshape(b.linear(h, q8(b, r, p + "attn_q.weight", dim, dim), "q." + l), Shape.of("T", heads, headDim), null);
            Value k = b.reshape(b.linear(h, q8(b, r, p + "attn_k.weight", kvHeads * headDim, dim), "k." + l), Shape.of("T", kvHeads, headDim), null);
            Value v = b.reshape(b.linear(h, q8(b, r, p + "attn_v.weight", kvHeads * headDim, dim), "v." + l), Shape.of("T", kvHeads, headDim), "v3." + l);
            q = b.rope(q, pos, null, RopeMode.NEOX, headDim, 10000f, "q_rope." + l);
            k = b.rope(k, pos, null, RopeMode.NEOX, headDim, 10000f, "k_rope." + l);
            Value kc = b.input("k_cache." + l, DType.F32, numBlocks, blockSize, kvHeads, headDim);
            Value vc = b.input("v_cache." + l, DType.F32, numBlocks, blockSize, kvHeads, headDim);
            kc = b.kvWrite(kc, k, slots, "k_cache_w." + l);
            vc = b.kvWrite(vc, v, slots, "v_cache_w." + l);
            Value att = b.pagedAttention(q, kc, vc, bt, lens, seq, pos, "attn." + l);
            Value o = b.linear(b.reshape(att, Shape.of("T", dim), null), q8(b, r, p + "attn_output.weight", dim, dim), "attn_out." + l);
            x = b.add(x, o, "attn_res." + l);
            // SwiGLU FFN
            Value f = b.rmsNorm(x, f32(b, r, p + "ffn_norm.weight", dim), 1e-5f, "ffn_norm." + l);
            Value gate = b.silu(b.linear(f, q8(b, r, p + "ffn_gate.weight", ffn, dim), "gate." + l), null);
            Value up = b.linear(f, q8(b, r, p + "ffn_up.weight", ffn, dim), "up." + l);
            Value down = b.linear(b.mul(gate, up, "ffn_act." + l), q8(b, r, p + "ffn_down.weight", dim, ffn), "ffn_out." + l);
            x = b.add(x, down, "l_out." + l);
        }
        Value norm = b.rmsNorm(x, f32(b, r, "output_norm.weight", dim), 1e-5f, "result_norm");
        return b.output(b.linear(norm, q8(b, r, "output.weight", vocab, dim), "logits")).build();
    }

    private static Value f32(GraphBuilder b, Random r, String name, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] a = name.endsWith("norm.weight") ? ones(n) : Seeds.floats(r, n, 0.5f);
        MemorySegment seg = MemorySegment.ofArray(Quantize.all(DType.F32, a));
        return b.weight(name, DType.F32, Shape.of((Object[]) box(shape)), seg);
    }

    private static Value q8(GraphBuilder b, Random r, String name, int rows, int cols) {
        float[] a = Seeds.floats(r, rows * cols, (float) (1 / Math.sqrt(cols)));
        return b.weight(name, DType.Q8_0, Shape.of(rows, cols), MemorySegment.ofArray(Quantize.all(DType.Q8_0, a)));
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private static Integer[] box(int[] s) {
        Integer[] o = new Integer[s.length];
        for (int i = 0; i < s.length; i++) o[i] = s[i];
        return o;
    }
}
