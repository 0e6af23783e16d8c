package dev.ingot.ir;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reductions over axes, and softmax. Accumulation is in double in the reference interpreter. */
public sealed interface ReduceOp extends Op {

    enum ReduceKind { SUM, MEAN, MAX, MIN, PROD }

    /** Reduces the listed axes (all axes when empty); keepDims leaves them as size 1. */
    record Reduce(ReduceKind kind, List<Integer> axes, boolean keepDims) implements ReduceOp {
        public Reduce { axes = List.copyOf(axes); }

        @Override public String mnemonic() { return "reduce_" + kind.name().toLowerCase(Locale.ROOT); }

        @Override public Map<String, Object> attrs() { return Op.attrsOf("axes", axes, "keep_dims", keepDims); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            TensorType t = in.getFirst();
            Checks.require(this, !t.dtype().isQuantized() && t.dtype() != DType.BOOL, "cannot reduce " + t);
            return t.withShape(reducedShape(this, t.shape(), axes, keepDims));
        }

        /** Normalised, de-duplicated axes (all axes when none are listed). */
        public boolean[] reducedAxes(int rank) { return mask(this, rank, axes); }
    }

    /** Index of the maximum along {@code axis} (first on ties), as I64. */
    record ArgMax(int axis, boolean keepDims) implements ReduceOp {
        @Override public String mnemonic() { return "arg_max"; }

        @Override public Map<String, Object> attrs() { return Op.attrsOf("axis", axis, "keep_dims", keepDims); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            TensorType t = in.getFirst();
            return new TensorType(DType.I64, reducedShape(this, t.shape(), List.of(axis), keepDims));
        }
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code axis}. */
    record Softmax(int axis) implements ReduceOp {
        @Override public String mnemonic() { return "softmax"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Checks.require(this, in.getFirst().dtype().isFloatingPoint(), "x must be float, got " + in.getFirst());
            Checks.axis(this, axis, in.getFirst().rank());
            return in.getFirst();
        }
    }

    private static boolean[] mask(Op op, int rank, List<Integer> axes) {
        boolean[] m = new boolean[rank];
        if (axes.isEmpty()) java.util.Arrays.fill(m, true);
        for (int a : axes) m[Checks.axis(op, a, rank)] = true;
        return m;
    }

    private static Shape reducedShape(Op op, Shape s, List<Integer> axes, boolean keep) {
        boolean[] m = mask(op, s.rank(), axes);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (!m[i]) out.add(s.dim(i));
            else if (keep) out.add(Dim.of(1));
        }
        return new Shape(out);
    }
}
