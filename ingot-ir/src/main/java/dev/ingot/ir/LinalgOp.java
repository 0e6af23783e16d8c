package dev.ingot.ir;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Matrix products. Dot products accumulate in double in the reference interpreter. */
public sealed interface LinalgOp extends Op {

    /**
     * Numpy matmul: a [..., M, K] x b [..., K, N] -> [..., M, N] with batch dims broadcast; a rank-1 a is
     * [K] (row vector, dim dropped after), a rank-1 b is [K] (column vector, dim dropped after). Float inputs of
     * equal dtype, or I32/I64.
     */
    record MatMul() implements LinalgOp {
        @Override public String mnemonic() { return "matmul"; }

        @Override public Map<String, Object> attrs() { return Map.of(); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            TensorType a = in.get(0), b = in.get(1);
            Checks.require(this, a.dtype() == b.dtype() && !a.dtype().isQuantized(), "dtypes must match and be plain: " + a + ", " + b);
            Checks.minRank(this, "a", a, 1);
            Checks.minRank(this, "b", b, 1);
            Shape sa = a.rank() == 1 ? Shape.SCALAR.append(Dim.of(1)).append(a.shape().dim(0)) : a.shape();
            Shape sb = b.rank() == 1 ? b.shape().append(Dim.of(1)) : b.shape();
            Checks.require(this, sa.dim(-1).equals(sb.dim(-2)), "inner dims differ: " + a + " x " + b);
            Shape batch;
            try {
                batch = Shape.broadcast(sa.sub(0, sa.rank() - 2), sb.sub(0, sb.rank() - 2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(mnemonic() + ": batch dims: " + e.getMessage(), e);
            }
            List<Dim> out = new ArrayList<>(batch.dims());
            if (a.rank() > 1) out.add(sa.dim(-2));
            if (b.rank() > 1) out.add(sb.dim(-1));
            return new TensorType(a.dtype(), new Shape(out));
        }
    }

    /**
     * {@code linear(x [..., K], w [N, K]) -> [..., N]} = x · wᵀ, the layout of GGUF and PyTorch weights. x is
     * F32; w is F32/F16/BF16 or quantised (rows of K elements, dequantised bit-exactly as llama.cpp). Output F32.
     */
    record Linear() implements LinalgOp {
        @Override public String mnemonic() { return "linear"; }

        @Override public Map<String, Object> attrs() { return Map.of(); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            TensorType x = in.get(0), w = in.get(1);
            Checks.dtype(this, "x", x, DType.F32);
            Checks.minRank(this, "x", x, 1);
            Checks.rank(this, "w", w, 2);
            Checks.floatish(this, "w", w);
            Checks.require(this, x.shape().dim(-1).equals(w.shape().dim(1)), "x " + x + " last dim must equal w " + w + " dim 1 (w is [N, K])");
            return x.withShape(x.shape().withLast(w.shape().dim(0)));
        }
    }
}
