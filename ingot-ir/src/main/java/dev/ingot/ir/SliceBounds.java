package dev.ingot.ir;

import dev.ingot.ir.shape.Dim;

/**
 * ONNX Slice bound normalisation, shared by type inference and the interpreter so both agree on the result
 * length. For a static dim of size n: start/end are made non-negative by adding n when negative and clamped to
 * [0, n] (positive step) or [-1, n-1] (negative step); length = max(0, ceil((end - start) / step)).
 */
public final class SliceBounds {
    private SliceBounds() {}

    /** Normalised {start, end} for a static dim {@code n}. */
    public static long[] normalise(long n, long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("slice: step must not be 0");
        if (start < 0) start += n;
        if (end < 0) end += n;
        if (step > 0) {
            start = Math.clamp(start, 0, n);
            end = Math.clamp(end, 0, n);
        } else {
            start = Math.clamp(start, -1, n - 1);
            end = Math.clamp(end, -1, n - 1);
        }
        return new long[] {start, end};
    }

    public static long length(long n, long start, long end, long step) {
        long[] b = normalise(n, start, end, step);
        long len = step > 0 ? Math.ceilDiv(b[1] - b[0], step) : Math.ceilDiv(b[0] - b[1], -step);
        return Math.max(0, len);
    }

    static Dim length(Op op, Dim dim, long start, long end, long step) {
        if (dim.isConstant()) return Dim.of(length(dim.constant(), start, end, step));
        Checks.require(op, step == 1, "step " + step + " on symbolic dim " + dim + " is not supported");
        Dim s = start >= 0 ? Dim.of(start) : dim.plus(start);
        Dim e = end >= ShapeOp.Slice.END ? dim : end >= 0 ? Dim.of(end) : dim.plus(end);
        return e.minus(s);
    }

    /** Start offset on a symbolic dim of evaluated size {@code n} (same rule as {@link #length(Op, Dim, long, long, long)}). */
    public static long symbolicStart(long n, long start) {
        return start >= 0 ? start : n + start;
    }
}
