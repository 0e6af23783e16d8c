package dev.ingot.ir.interp;

import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SliceBounds;
import java.util.List;

/** Data movement: values are copied exactly (no rounding), reshapes share storage. */
final class ShapeKernels {
    private ShapeKernels() {}

    static Tensor eval(ShapeOp op, List<Tensor> in, long[] outShape) {
        Tensor x = in.getFirst();
        return switch (op) {
            // row-major data is unchanged by reshape/squeeze/unsqueeze: share it
            case ShapeOp.Reshape r -> x.reshape(outShape);
            case ShapeOp.Squeeze s -> x.reshape(outShape);
            case ShapeOp.Unsqueeze u -> x.reshape(outShape);
            case ShapeOp.ShapeOf s -> Tensor.i64(x.shape(), x.rank());
            case ShapeOp.Transpose t -> transpose(x, t.perm(), outShape);
            case ShapeOp.Slice s -> slice(x, s, outShape);
            case ShapeOp.Concat c -> concat(in, c.axis(), outShape);
            case ShapeOp.Gather g -> gather(x, in.get(1), g.axis(), outShape);
            case ShapeOp.Expand e -> {
                Tensor out = Tensor.zeros(x.dtype(), outShape);
                copy(x, Odometer.broadcastStrides(x.shape(), outShape), 0, out, outShape);
                yield out;
            }
        };
    }

    /** out[i] = src[base + coords · srcStrides] for i over outShape in row-major order. */
    private static void copy(Tensor src, long[] srcStrides, long base, Tensor out, long[] outShape) {
        Odometer o = new Odometer(outShape, srcStrides);
        long n = out.numel();
        for (long i = 0; i < n; i++, o.next()) out.copyFrom(i, src, base + o.off[0]);
    }

    private static Tensor transpose(Tensor x, List<Integer> perm, long[] outShape) {
        // walking the output in order, output axis d advances the input by its axis perm[d]'s stride
        long[] s = Odometer.strides(x.shape());
        long[] ps = new long[perm.size()];
        for (int d = 0; d < ps.length; d++) ps[d] = s[perm.get(d)];
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        copy(x, ps, 0, out, outShape);
        return out;
    }

    private static Tensor slice(Tensor x, ShapeOp.Slice op, long[] outShape) {
        long[] shape = x.shape();
        long[] s = Odometer.strides(shape);
        // a slice is a strided view: base offset of the first element, stride * step per sliced axis
        long[] st = s.clone();
        long base = 0;
        for (int i = 0; i < op.axes().size(); i++) {
            int a = op.axes().get(i) < 0 ? op.axes().get(i) + shape.length : op.axes().get(i);
            long step = op.steps().get(i);
            long start = SliceBounds.normalise(shape[a], op.starts().get(i), op.ends().get(i), step)[0];
            long len = outShape[a];
            if (len > 0 && (start < 0 || start >= shape[a] || start + (len - 1) * step < 0 || start + (len - 1) * step >= shape[a])) {
                throw new IllegalArgumentException("slice of axis " + a + " (size " + shape[a] + ") from " + start + " by " + step + " x" + len + " is out of range");
            }
            base += start * s[a];
            st[a] = s[a] * step;
        }
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        if (out.numel() > 0) copy(x, st, base, out, outShape);
        return out;
    }

    private static Tensor concat(List<Tensor> in, int axis, long[] outShape) {
        int a = axis < 0 ? axis + outShape.length : axis;
        Tensor out = Tensor.zeros(in.getFirst().dtype(), outShape);
        // each input is copied into the output window starting at offset `at` along the axis
        long[] os = Odometer.strides(outShape);
        long at = 0;
        for (Tensor t : in) {
            long[] ts = t.shape();
            Odometer o = new Odometer(ts, os);
            long n = t.numel();
            for (long i = 0; i < n; i++, o.next()) out.copyFrom(at * os[a] + o.off[0], t, i);
            at += ts[a];
        }
        return out;
    }

    private static Tensor gather(Tensor data, Tensor idx, int axis, long[] outShape) {
        long[] ds = data.shape();
        int a = axis < 0 ? axis + ds.length : axis;
        long outer = 1, inner = 1;
        for (int d = 0; d < a; d++) outer *= ds[d];
        for (int d = a + 1; d < ds.length; d++) inner *= ds[d];
        // data viewed as [outer, n, inner], out as [outer, ni, inner]: row k of the middle axis per index
        long n = ds[a], ni = idx.numel();
        Tensor out = Tensor.zeros(data.dtype(), outShape);
        for (long j = 0; j < ni; j++) {
            long k = idx.getLong(j);
            if (k < 0) k += n;
            if (k < 0 || k >= n) throw new IllegalArgumentException("gather index " + idx.getLong(j) + " out of range for axis size " + n);
            for (long o = 0; o < outer; o++) {
                for (long i = 0; i < inner; i++) out.copyFrom((o * ni + j) * inner + i, data, (o * n + k) * inner + i);
            }
        }
        return out;
    }
}
