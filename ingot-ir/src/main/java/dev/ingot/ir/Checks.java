package dev.ingot.ir;

import dev.ingot.tensor.DType;
import java.util.List;

/** Argument checks for type inference; every failure names the op. */
final class Checks {
    private Checks() {}

    static void arity(Op op, List<TensorType> in, int min, int max) {
        if (in.size() < min || in.size() > max) {
            String want = min == max ? String.valueOf(min) : min + ".." + max;
            throw new IllegalArgumentException(op.mnemonic() + ": expects " + want + " inputs, got " + in.size() + " " + in);
        }
    }

    static void require(Op op, boolean cond, String what) {
        if (!cond) throw new IllegalArgumentException(op.mnemonic() + ": " + what);
    }

    static void rank(Op op, String arg, TensorType t, int rank) {
        require(op, t.rank() == rank, arg + " must have rank " + rank + ", got " + t);
    }

    static void minRank(Op op, String arg, TensorType t, int rank) {
        require(op, t.rank() >= rank, arg + " must have rank >= " + rank + ", got " + t);
    }

    static void dtype(Op op, String arg, TensorType t, DType... allowed) {
        for (DType d : allowed) if (t.dtype() == d) return;
        throw new IllegalArgumentException(op.mnemonic() + ": " + arg + " must be " + List.of(allowed) + ", got " + t);
    }

    static void integer(Op op, String arg, TensorType t) {
        dtype(op, arg, t, DType.I32, DType.I64);
    }

    /** F32 activations, or any float/quantised storage type for weights. */
    static void floatish(Op op, String arg, TensorType t) {
        require(op, t.dtype().isFloatingPoint() || t.dtype().isQuantized(), arg + " must be a float or quantised type, got " + t);
    }

    /** Integer dtypes (not BOOL): the ones NEG/ABS accept. */
    static boolean isInteger(DType d) {
        return d == DType.I8 || d == DType.I16 || d == DType.I32 || d == DType.I64 || d == DType.U8;
    }

    static int axis(Op op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        require(op, a >= 0 && a < rank, "axis " + axis + " out of range for rank " + rank);
        return a;
    }
}
