package dev.ingot.onnx;

import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data-movement ONNX ops. Their shape arguments (Reshape's shape, Slice's bounds, axes inputs) must be known at
 * import time, as constants or as symbolic shape vectors; the IR ops take them as attributes.
 */
final class ShapeOps {
    private ShapeOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Reshape", ShapeOps::reshape);
        m.put("Transpose", n -> {
            int r = n.rank(0);
            List<Long> p = n.attrInts("perm");
            List<Integer> perm = new ArrayList<>();
            for (int i = 0; i < r; i++) perm.add(p == null ? r - 1 - i : (int) (long) p.get(i));
            n.out(n.b.transpose(n.x(0), perm, n.outName(0)));
        });
        m.put("Unsqueeze", n -> n.out(n.b.unsqueeze(n.x(0), ints(axes(n, 13)), n.outName(0))));
        m.put("Squeeze", ShapeOps::squeeze);
        m.put("Concat", n -> {
            List<Value> xs = new ArrayList<>();
            for (int i = 0; i < n.inputs(); i++) if (n.has(i)) xs.add(n.x(i));
            n.out(n.b.concat(xs, (int) n.attrInt("axis", 0), n.outName(0)));
        });
        m.put("Slice", ShapeOps::slice);
        m.put("Gather", n -> n.out(n.b.gather(n.x(0), n.x(1), (int) n.attrInt("axis", 0), n.outName(0))));
        m.put("Expand", n -> n.out(n.b.expand(n.x(0), new Shape(n.dims(1, "shape")), n.outName(0))));
        m.put("Flatten", n -> {
            Shape s = n.type(0).shape();
            int a = (int) n.attrInt("axis", 1);
            if (a < 0) a += s.rank();
            Dim outer = Dim.of(1), inner = Dim.of(1);
            for (int i = 0; i < s.rank(); i++) {
                if (i < a) outer = outer.times(s.dim(i));
                else inner = inner.times(s.dim(i));
            }
            n.out(n.b.reshape(n.x(0), new Shape(List.of(outer, inner)), n.outName(0)));
        });
        m.put("Split", ShapeOps::split);
    }

    /** Axes from the attribute before {@code inputSince}, from input 1 from then on; null when absent. */
    static List<Long> axes(NodeCtx n, int inputSince) {
        if (n.opset() < inputSince) return n.attrInts("axes");
        return n.has(1) ? n.longs(1, "axes") : null;
    }

    static List<Integer> ints(List<Long> v) {
        if (v == null) return List.of();
        return v.stream().map(Long::intValue).toList();
    }

    private static void reshape(NodeCtx n) {
        List<Dim> to = n.opset() < 5 ? n.attrInts("shape").stream().map(Dim::of).toList() : n.dims(1, "shape");
        Shape in = n.type(0).shape();
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < to.size(); i++) {
            // 0 copies the input dim unless allowzero (then it is a real 0)
            boolean copy = to.get(i).equals(Dim.of(0)) && !allowZero;
            if (copy && i >= in.rank()) throw n.fail("shape " + to + " copies dim " + i + " of rank-" + in.rank() + " input");
            out.add(copy ? in.dim(i) : to.get(i));
        }
        n.out(n.b.reshape(n.x(0), new Shape(out), n.outName(0)));
    }

    private static void squeeze(NodeCtx n) {
        List<Long> axes = axes(n, 13);
        Shape s = n.type(0).shape();
        List<Integer> ax = new ArrayList<>();
        if (axes == null) {
            // no axes: every dim that is 1; a symbolic dim might be 1 at run time, so refuse rather than guess
            if (!s.isStatic()) throw n.fail("Squeeze without axes on symbolic shape " + s);
            for (int i = 0; i < s.rank(); i++) if (s.dim(i).equals(Dim.of(1))) ax.add(i);
        } else {
            ax.addAll(ints(axes));
        }
        n.out(n.b.squeeze(n.x(0), ax, n.outName(0)));
    }

    private static void slice(NodeCtx n) {
        List<Long> starts, ends, axes, steps = null;
        if (n.opset() < 10) {
            starts = n.attrInts("starts");
            ends = n.attrInts("ends");
            axes = n.attrInts("axes");
        } else {
            axes = n.has(3) ? n.longs(3, "axes") : null;
            steps = n.has(4) ? n.longs(4, "steps") : null;
            if (n.ctx.constant(n.inName(1)) == null || n.ctx.constant(n.inName(2)) == null) {
                symbolicSlice(n, axes, steps);
                return;
            }
            starts = n.longs(1, "starts");
            ends = n.longs(2, "ends");
        }
        List<Integer> ax = new ArrayList<>();
        List<Long> st = new ArrayList<>(), en = new ArrayList<>(), sp = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            ax.add(axes == null ? i : (int) (long) axes.get(i));
            st.add(clampBound(starts.get(i)));
            en.add(clampBound(ends.get(i)));
            sp.add(steps == null ? 1L : steps.get(i));
        }
        n.out(n.b.slice(n.x(0), st, en, ax, sp, n.outName(0)));
    }

    /**
     * Slice with bounds from a shape computation ({@code x[:, :seq]} of a position-id buffer): each axis with a
     * symbolic bound becomes a gather of {@code iota(end - start) + start}; step 1 and non-negative starts only.
     * The bounds are taken as in range (as the IR's slice on symbolic dims does).
     */
    private static void symbolicSlice(NodeCtx n, List<Long> axes, List<Long> steps) {
        List<Dim> starts = n.dims(1, "starts"), ends = n.dims(2, "ends");
        Value x = n.x(0);
        for (int i = 0; i < starts.size(); i++) {
            int a = n.axis(axes == null ? i : axes.get(i), x.rank());
            if (steps != null && steps.get(i) != 1) throw n.fail("a stepped slice with symbolic bounds");
            Dim s = starts.get(i), e = ends.get(i);
            if (s.isConstant() && e.isConstant()) {
                x = n.b.slice(x, List.of(clampBound(s.constant())), List.of(clampBound(e.constant())), List.of(a), List.of(1L), null);
                continue;
            }
            if (!s.isConstant() || s.constant() < 0 || e.isConstant() && e.constant() < 0) {
                throw n.fail("symbolic slice bounds must be a constant start >= 0 and a non-negative end, got " + s + ":" + e);
            }
            Dim len = e.isConstant() && e.constant() >= ShapeOp.Slice.END ? x.shape().dim(a).minus(s) : e.minus(s);
            Value idx = n.b.iota(new dev.ingot.ir.TensorType(dev.ingot.tensor.DType.I64, new Shape(List.of(len))), 0, null);
            if (s.constant() != 0) idx = n.b.add(idx, ElementwiseOps.scalar(n, dev.ingot.tensor.DType.I64, s.constant()), null);
            x = n.b.gather(x, idx, a, null);
        }
        n.out(n.b.reshape(x, x.shape(), n.outName(0)));
    }

    /** ONNX uses INT_MAX / INT64_MAX / INT64_MIN for "to the end"; the IR's sentinel is {@link ShapeOp.Slice#END}. */
    private static long clampBound(long v) {
        return Math.clamp(v, -ShapeOp.Slice.END, ShapeOp.Slice.END);
    }

    private static void split(NodeCtx n) {
        Shape s = n.type(0).shape();
        int axis = n.axis(n.attrInt("axis", 0), s.rank());
        List<Long> sizes;
        if (n.opset() < 13) sizes = n.attrInts("split");
        else sizes = n.has(1) ? n.longs(1, "split") : null;
        int k = n.outputs();
        Dim d = s.dim(axis);
        if (sizes == null) {
            if (!d.isConstant()) throw n.fail("equal split of symbolic dim " + d);
            long num = n.hasAttr("num_outputs") ? n.attrInt("num_outputs", k) : k;
            long chunk = Math.ceilDiv(d.constant(), num);
            List<Long> l = new ArrayList<>();
            for (long left = d.constant(), i = 0; i < num; i++, left -= chunk) l.add(Math.min(chunk, Math.max(left, 0)));
            sizes = l;
        }
        long start = 0;
        for (int i = 0; i < sizes.size(); i++) {
            long end = start + sizes.get(i);
            n.out(i, n.b.slice(n.x(0), axis, start, end, n.outName(i)));
            start = end;
        }
    }
}
