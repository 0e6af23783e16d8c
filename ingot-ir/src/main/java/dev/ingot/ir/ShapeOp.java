package dev.ingot.ir;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data movement ops: they change shapes and layouts, never values. All take one data input unless stated, keep
 * its dtype, and work on any non-quantised dtype. Axes may be negative (counted from the end).
 */
public sealed interface ShapeOp extends Op {

    /** Row-major reinterpretation; element counts must agree symbolically. */
    record Reshape(Shape to) implements ShapeOp {
        @Override public String mnemonic() { return "reshape"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Shape from = in.getFirst().shape();
            Checks.require(this, from.numel().equals(to.numel()),
                    "element count differs: " + from + " (" + from.numel() + ") -> " + to + " (" + to.numel() + ")");
            return in.getFirst().withShape(to);
        }
    }

    /** out.dims[i] = in.dims[perm[i]]. */
    record Transpose(List<Integer> perm) implements ShapeOp {
        public Transpose { perm = List.copyOf(perm); }

        @Override public String mnemonic() { return "transpose"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Shape s = in.getFirst().shape();
            Checks.require(this, perm.size() == s.rank(), "perm " + perm + " does not match rank of " + in.getFirst());
            boolean[] seen = new boolean[perm.size()];
            List<Dim> out = new ArrayList<>();
            for (int p : perm) {
                Checks.require(this, p >= 0 && p < seen.length && !seen[p], "perm " + perm + " is not a permutation");
                seen[p] = true;
                out.add(s.dims().get(p));
            }
            return in.getFirst().withShape(new Shape(out));
        }
    }

    /**
     * ONNX Slice with constant parameters: for each listed axis, elements start, start+step, ... before end.
     * Negative start/end count from the end; ends at or beyond {@link #END} mean "to the end". On a static dim
     * bounds are clamped as ONNX does. On a symbolic dim the step must be 1 and a non-negative end other than
     * END is taken as given (the caller asserts it is in range).
     */
    record Slice(List<Long> starts, List<Long> ends, List<Integer> axes, List<Long> steps) implements ShapeOp {
        /** "To the end of the axis". */
        public static final long END = Long.MAX_VALUE / 4;

        public Slice {
            starts = List.copyOf(starts);
            ends = List.copyOf(ends);
            axes = List.copyOf(axes);
            steps = List.copyOf(steps);
            if (starts.size() != axes.size() || ends.size() != axes.size() || steps.size() != axes.size()) {
                throw new IllegalArgumentException("slice: starts/ends/axes/steps lengths differ");
            }
        }

        @Override public String mnemonic() { return "slice"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Shape s = in.getFirst().shape();
            for (int i = 0; i < axes.size(); i++) {
                int a = Checks.axis(this, axes.get(i), s.rank());
                s = s.with(a, SliceBounds.length(this, s.dim(a), starts.get(i), ends.get(i), steps.get(i)));
            }
            return in.getFirst().withShape(s);
        }
    }

    /** Joins inputs (at least one) along {@code axis}; other dims must agree. */
    record Concat(int axis) implements ShapeOp {
        @Override public String mnemonic() { return "concat"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, Integer.MAX_VALUE);
            TensorType f = in.getFirst();
            int a = Checks.axis(this, axis, f.rank());
            Dim sum = Dim.of(0);
            for (TensorType t : in) {
                Checks.require(this, t.dtype() == f.dtype() && t.rank() == f.rank(), "inputs differ in dtype or rank: " + in);
                for (int i = 0; i < f.rank(); i++) {
                    if (i != a) Checks.require(this, t.shape().dim(i).equals(f.shape().dim(i)), "dims off axis " + a + " differ: " + in);
                }
                sum = sum.plus(t.shape().dim(a));
            }
            return f.withShape(f.shape().with(a, sum));
        }
    }

    /**
     * ONNX Gather: {@code gather(data, indices)}, out shape data[:axis] ++ indices ++ data[axis+1:]; negative
     * indices count from the end of the axis.
     */
    record Gather(int axis) implements ShapeOp {
        @Override public String mnemonic() { return "gather"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            Checks.integer(this, "indices", in.get(1));
            Shape d = in.get(0).shape();
            int a = Checks.axis(this, axis, d.rank());
            List<Dim> out = new ArrayList<>(d.dims().subList(0, a));
            out.addAll(in.get(1).shape().dims());
            out.addAll(d.dims().subList(a + 1, d.rank()));
            return in.get(0).withShape(new Shape(out));
        }
    }

    /** ONNX Expand: broadcasts the input against {@code to} (the result has the broadcast shape of both). */
    record Expand(Shape to) implements ShapeOp {
        @Override public String mnemonic() { return "expand"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            try {
                return in.getFirst().withShape(Shape.broadcast(in.getFirst().shape(), to));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(mnemonic() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes the listed axes, each of which must be the constant 1. */
    record Squeeze(List<Integer> axes) implements ShapeOp {
        public Squeeze { axes = List.copyOf(axes); }

        @Override public String mnemonic() { return "squeeze"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Shape s = in.getFirst().shape();
            boolean[] drop = new boolean[s.rank()];
            for (int a : axes) {
                int n = Checks.axis(this, a, s.rank());
                Checks.require(this, s.dim(n).equals(Dim.of(1)), "axis " + a + " of " + in.getFirst() + " is not 1");
                drop[n] = true;
            }
            List<Dim> out = new ArrayList<>();
            for (int i = 0; i < s.rank(); i++) if (!drop[i]) out.add(s.dim(i));
            return in.getFirst().withShape(new Shape(out));
        }
    }

    /** Inserts size-1 axes at the listed positions of the output (ONNX Unsqueeze). */
    record Unsqueeze(List<Integer> axes) implements ShapeOp {
        public Unsqueeze { axes = List.copyOf(axes); }

        @Override public String mnemonic() { return "unsqueeze"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Shape s = in.getFirst().shape();
            int r = s.rank() + axes.size();
            boolean[] ins = new boolean[r];
            for (int a : axes) {
                int n = Checks.axis(this, a, r);
                Checks.require(this, !ins[n], "axis " + a + " repeated");
                ins[n] = true;
            }
            List<Dim> out = new ArrayList<>();
            int j = 0;
            for (int i = 0; i < r; i++) out.add(ins[i] ? Dim.of(1) : s.dim(j++));
            return in.getFirst().withShape(new Shape(out));
        }
    }

    /** The input's shape as an I64 vector of length rank, evaluated under the run's binding. */
    record ShapeOf() implements ShapeOp {
        @Override public String mnemonic() { return "shape_of"; }

        @Override public Map<String, Object> attrs() { return Map.of(); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            return TensorType.of(DType.I64, in.getFirst().rank());
        }
    }
}
