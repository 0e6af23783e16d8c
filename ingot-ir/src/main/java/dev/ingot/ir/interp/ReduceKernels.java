package dev.ingot.ir.interp;

import dev.ingot.ir.ReduceOp;
import dev.ingot.tensor.DType;

/**
 * Reductions in double (integer sums in long), softmax in double with the row maximum subtracted, argmax
 * returning the first maximal index (NaN counts as maximal, as numpy).
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static Tensor eval(ReduceOp op, Tensor x, DType outType, long[] outShape) {
        return switch (op) {
            case ReduceOp.Reduce r -> reduce(r, x, outType, outShape);
            case ReduceOp.ArgMax a -> argMax(x, a.axis(), outShape);
            case ReduceOp.Softmax s -> softmax(x, s.axis());
        };
    }

    private static Tensor reduce(ReduceOp.Reduce op, Tensor x, DType outType, long[] outShape) {
        long[] shape = x.shape();
        boolean[] m = op.reducedAxes(shape.length);
        // Walk the input; each element's output offset uses out strides with 0 on reduced axes.
        long[] keptShape = new long[shape.length];
        for (int d = 0; d < shape.length; d++) keptShape[d] = m[d] ? 1 : shape[d];
        long[] os = Odometer.strides(keptShape);
        for (int d = 0; d < shape.length; d++) if (m[d]) os[d] = 0;
        int nOut = Math.toIntExact(Tensor.numel(keptShape));
        boolean integer = !x.dtype().isFloatingPoint();
        double[] acc = new double[nOut];
        long[] iacc = new long[nOut];
        double init = switch (op.kind()) {
            case SUM, MEAN -> 0;
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        java.util.Arrays.fill(acc, init);
        java.util.Arrays.fill(iacc, op.kind() == ReduceOp.ReduceKind.PROD ? 1 : 0);
        long count = x.numel() / Math.max(nOut, 1); // elements folded into each output (MEAN's divisor)
        Odometer o = new Odometer(shape, os);
        long n = x.numel();
        boolean[] seen = new boolean[nOut]; // integer MAX/MIN start from the first element, not a sentinel
        for (long i = 0; i < n; i++, o.next()) {
            int k = (int) o.off[0];
            if (integer) {
                long v = x.getLong(i);
                iacc[k] = switch (op.kind()) {
                    case SUM, MEAN -> iacc[k] + v;
                    case PROD -> iacc[k] * v;
                    case MAX -> seen[k] ? Math.max(iacc[k], v) : v;
                    case MIN -> seen[k] ? Math.min(iacc[k], v) : v;
                };
                seen[k] = true;
            } else {
                double v = x.getDouble(i);
                acc[k] = switch (op.kind()) {
                    case SUM, MEAN -> acc[k] + v;
                    case PROD -> acc[k] * v;
                    // NaN wins once seen (comparisons with NaN are false, so it then sticks)
                    case MAX -> Double.isNaN(v) || v > acc[k] ? v : acc[k];
                    case MIN -> Double.isNaN(v) || v < acc[k] ? v : acc[k];
                };
            }
        }
        Tensor out = Tensor.zeros(outType, outShape);
        for (int k = 0; k < nOut; k++) {
            if (integer) out.setLong(k, op.kind() == ReduceOp.ReduceKind.MEAN ? iacc[k] / count : iacc[k]);
            else out.setDouble(k, op.kind() == ReduceOp.ReduceKind.MEAN ? acc[k] / count : acc[k]);
        }
        return out;
    }

    /** [outer, n, inner] view of x around {@code axis}. */
    private static long[] split(long[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        long outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= shape[d];
        for (int d = a + 1; d < shape.length; d++) inner *= shape[d];
        return new long[] {outer, shape[a], inner};
    }

    /** The first index of the maximum along the axis; scanning stops at a NaN, which counts as maximal. */
    private static Tensor argMax(Tensor x, int axis, long[] outShape) {
        long[] v = split(x.shape(), axis);
        Tensor out = Tensor.zeros(DType.I64, outShape);
        for (long o = 0; o < v[0]; o++) {
            for (long i = 0; i < v[2]; i++) {
                long best = 0;
                double bv = x.getDouble(o * v[1] * v[2] + i);
                for (long j = 1; j < v[1] && !Double.isNaN(bv); j++) {
                    double e = x.getDouble((o * v[1] + j) * v[2] + i);
                    if (e > bv || Double.isNaN(e)) { bv = e; best = j; }
                }
                out.setLong(o * v[2] + i, best);
            }
        }
        return out;
    }

    private static Tensor softmax(Tensor x, int axis) {
        long[] v = split(x.shape(), axis);
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        double[] row = new double[(int) v[1]];
        for (long o = 0; o < v[0]; o++) {
            for (long i = 0; i < v[2]; i++) {
                for (int j = 0; j < row.length; j++) row[j] = x.getDouble((o * v[1] + j) * v[2] + i);
                softmaxInPlace(row, row.length);
                for (int j = 0; j < row.length; j++) out.setDouble((o * v[1] + j) * v[2] + i, row[j]);
            }
        }
        return out;
    }

    /** Softmax of r[0..n) in place; a row of all -inf becomes all zeros (nothing to attend to). */
    static void softmaxInPlace(double[] r, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, r[j]);
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(r, 0, n, 0.0);
            return;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            r[j] = Math.exp(r[j] - max);
            sum += r[j];
        }
        for (int j = 0; j < n; j++) r[j] /= sum;
    }
}
