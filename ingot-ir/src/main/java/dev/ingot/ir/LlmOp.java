package dev.ingot.ir;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.List;

/**
 * Fused ops of transformer LLMs, with the semantics of llama.cpp / vLLM. Activations are F32; weights may be
 * F32/F16/BF16 or quantised where stated. Shapes: T tokens of the flattened batch, H query heads, Hkv KV heads,
 * D head dim, NB cache blocks of BS slots, S sequences, B max blocks per sequence.
 */
public sealed interface LlmOp extends Op {

    /** {@code embedding(table [V, D], ids [...]) -> f32[..., D]}: rows of a (possibly quantised) table. */
    record Embedding() implements LlmOp {
        @Override public String mnemonic() { return "embedding"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            Checks.rank(this, "table", in.get(0), 2);
            Checks.floatish(this, "table", in.get(0));
            Checks.integer(this, "ids", in.get(1));
            return new TensorType(DType.F32, in.get(1).shape().append(in.get(0).shape().dim(1)));
        }
    }

    /** {@code rms_norm(x [..., D], w [D])} = x / sqrt(mean(x²) + eps) * w over the last axis. */
    record RmsNorm(float eps) implements LlmOp {
        @Override public String mnemonic() { return "rms_norm"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            normCheck(this, in);
            return in.getFirst();
        }
    }

    /** {@code layer_norm(x [..., D], w [D], b [D]?)} = (x - mean) / sqrt(var + eps) * w + b, biased variance. */
    record LayerNorm(float eps) implements LlmOp {
        @Override public String mnemonic() { return "layer_norm"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 3);
            normCheck(this, in);
            return in.getFirst();
        }
    }

    enum RopeMode {
        /** Rotates adjacent pairs (x[2i], x[2i+1]): llama.cpp mode 0, GGUF Llama (Q/K permuted at conversion). */
        NORM,
        /** Rotates split halves (x[i], x[i + rotDim/2]): llama.cpp NEOX, HF rotate_half, Qwen2. */
        NEOX
    }

    /**
     * {@code rope(x [T, H, D], positions [T], freqFactors [rotDim/2]?)}: rotates the first {@code rotDim} dims of
     * each head by angle pos * base^(-2i/rotDim) / freqFactors[i] for pair i in [0, rotDim/2); dims past rotDim
     * pass through. Sign convention: (a, b) -> (a cos - b sin, a sin + b cos).
     */
    record Rope(RopeMode mode, int rotDim, float base) implements LlmOp {
        @Override public String mnemonic() { return "rope"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 3);
            TensorType x = in.get(0);
            Checks.dtype(this, "x", x, DType.F32);
            Checks.rank(this, "x", x, 3);
            Checks.integer(this, "positions", in.get(1));
            Checks.rank(this, "positions", in.get(1), 1);
            Checks.require(this, in.get(1).shape().dim(0).equals(x.shape().dim(0)), "positions " + in.get(1) + " must have x's T: " + x);
            Dim d = x.shape().dim(2);
            Checks.require(this, rotDim > 0 && rotDim % 2 == 0, "rotDim must be positive and even, got " + rotDim);
            Checks.require(this, d.isConstant() && rotDim <= d.constant(), "rotDim " + rotDim + " exceeds head dim of " + x);
            if (in.size() == 3) {
                Checks.dtype(this, "freqFactors", in.get(2), DType.F32);
                Checks.require(this, in.get(2).shape().equals(Shape.of(rotDim / 2)), "freqFactors must be [" + rotDim / 2 + "], got " + in.get(2));
            }
            return x;
        }
    }

    /**
     * {@code kv_write(cache [NB, BS, Hkv, D], kv [T, Hkv, D], slots [T]) -> cache'}: row t of kv goes to slot
     * slots[t] = block * BS + offset; a negative slot skips the token (padding). An F16 cache stores each value
     * rounded to nearest even (llama.cpp's default KV type: half the bytes for attention to read). Returns the updated cache as a
     * new SSA value so ordering against attention reads is explicit; the interpreter updates in place.
     */
    record KvWrite() implements LlmOp {
        @Override public String mnemonic() { return "kv_write"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 3, 3);
            TensorType c = in.get(0), kv = in.get(1), s = in.get(2);
            Checks.dtype(this, "cache", c, DType.F32, DType.F16);
            Checks.rank(this, "cache", c, 4);
            Checks.dtype(this, "kv", kv, DType.F32);
            Checks.rank(this, "kv", kv, 3);
            Checks.integer(this, "slots", s);
            Checks.rank(this, "slots", s, 1);
            Checks.require(this, kv.shape().sub(1, 3).equals(c.shape().sub(2, 4)), "kv " + kv + " heads/dim must match cache " + c);
            Checks.require(this, s.shape().dim(0).equals(kv.shape().dim(0)), "slots " + s + " must have kv's T: " + kv);
            return c;
        }
    }

    /**
     * {@code paged_attention(q [T, H, D], kCache [NB, BS, Hkv, D], vCache [NB, BS, Hkv, D], blockTables [S, B],
     * seqLens [S], tokenSeq [T], positions [T]) -> f32[T, H, D]}. Token t of sequence s = tokenSeq[t] attends
     * causally to cache positions 0..positions[t] of s (position p lives in block blockTables[s][p / BS], slot
     * p % BS); head h reads KV head h / (H / Hkv). seqLens[s] is the context length including the new tokens
     * (positions[t] < seqLens[s]). Scores are scaled by {@code scale}.
     */
    record PagedAttention(float scale) implements LlmOp {
        @Override public String mnemonic() { return "paged_attention"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 7, 7);
            TensorType q = in.get(0), k = in.get(1), v = in.get(2);
            Checks.dtype(this, "q", q, DType.F32);
            Checks.rank(this, "q", q, 3);
            Checks.dtype(this, "kCache", k, DType.F32, DType.F16);
            Checks.rank(this, "kCache", k, 4);
            Checks.require(this, v.equals(k), "vCache " + v + " must have kCache's type " + k);
            Checks.require(this, q.shape().dim(2).equals(k.shape().dim(3)), "head dim of q " + q + " differs from cache " + k);
            Dim h = q.shape().dim(1), hkv = k.shape().dim(2);
            Checks.require(this, h.isConstant() && hkv.isConstant() && h.constant() % hkv.constant() == 0,
                    "query heads " + h + " must be a constant multiple of KV heads " + hkv);
            String[] names = {"blockTables", "seqLens", "tokenSeq", "positions"};
            int[] ranks = {2, 1, 1, 1};
            for (int i = 0; i < 4; i++) {
                Checks.integer(this, names[i], in.get(3 + i));
                Checks.rank(this, names[i], in.get(3 + i), ranks[i]);
            }
            Checks.require(this, in.get(4).shape().dim(0).equals(in.get(3).shape().dim(0)), "seqLens and blockTables differ in S");
            Checks.require(this, in.get(5).shape().dim(0).equals(q.shape().dim(0)), "tokenSeq must have q's T");
            Checks.require(this, in.get(6).shape().dim(0).equals(q.shape().dim(0)), "positions must have q's T");
            return q;
        }
    }

    /**
     * Plain scaled-dot-product attention for encoders: {@code attention(q [..., Lq, D], k [..., Lk, D],
     * v [..., Lk, Dv], mask?) -> [..., Lq, Dv]}; batch dims of q, k, v equal. The mask broadcasts to
     * [..., Lq, Lk]: BOOL (true = attend) or F32 (added to the scaled scores). {@code causal} masks key j > query i
     * (top-left aligned, as PyTorch's is_causal). A query row with nothing to attend to yields zeros.
     */
    record Attention(float scale, boolean causal) implements LlmOp {
        @Override public String mnemonic() { return "attention"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 3, 4);
            TensorType q = in.get(0), k = in.get(1), v = in.get(2);
            for (int i = 0; i < 3; i++) {
                Checks.dtype(this, "qkv".charAt(i) + "", in.get(i), DType.F32);
                Checks.minRank(this, "qkv".charAt(i) + "", in.get(i), 2);
            }
            Checks.require(this, q.rank() == k.rank() && k.rank() == v.rank(), "q, k, v ranks differ");
            int r = q.rank();
            Checks.require(this, q.shape().sub(0, r - 2).equals(k.shape().sub(0, r - 2)) && k.shape().sub(0, r - 2).equals(v.shape().sub(0, r - 2)),
                    "batch dims differ: " + q + ", " + k + ", " + v);
            Checks.require(this, q.shape().dim(-1).equals(k.shape().dim(-1)), "q and k head dims differ");
            Checks.require(this, k.shape().dim(-2).equals(v.shape().dim(-2)), "k and v lengths differ");
            if (in.size() == 4) {
                TensorType m = in.get(3);
                Checks.dtype(this, "mask", m, DType.BOOL, DType.F32);
                Shape scores = q.shape().withLast(k.shape().dim(-2));
                Checks.require(this, Shape.broadcast(m.shape(), scores).equals(scores), "mask " + m + " does not broadcast to " + scores);
            }
            return q.withShape(q.shape().withLast(v.shape().dim(-1)));
        }
    }

    private static void normCheck(Op op, List<TensorType> in) {
        TensorType x = in.get(0);
        Checks.dtype(op, "x", x, DType.F32);
        Checks.minRank(op, "x", x, 1);
        for (int i = 1; i < in.size(); i++) {
            Checks.rank(op, "weight", in.get(i), 1);
            Checks.require(op, in.get(i).dtype().isFloatingPoint(), "weight must be float, got " + in.get(i));
            Checks.require(op, in.get(i).shape().dim(0).equals(x.shape().dim(-1)), "weight " + in.get(i) + " must match x's last dim " + x);
        }
    }
}
