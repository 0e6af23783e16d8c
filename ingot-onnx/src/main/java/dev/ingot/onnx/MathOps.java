package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.ReduceOp.ReduceKind;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Matrix products, softmax, normalisation and reductions. */
final class MathOps {
    private MathOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("MatMul", n -> n.out(n.b.matmul(n.x(0), n.x(1), n.outName(0))));
        m.put("Gemm", MathOps::gemm);
        m.put("Softmax", n -> n.out(softmax(n, false)));
        m.put("LogSoftmax", n -> n.out(softmax(n, true)));
        m.put("LayerNormalization", MathOps::layerNorm);
        m.put("InstanceNormalization", MathOps::instanceNorm);
        m.put("LRN", MathOps::lrn);
        // (x - mean) / sqrt(var + 1e-9) over axes (default [0, 2, 3])
        m.put("MeanVarianceNormalization", n -> {
            Value x = n.x(0);
            List<Integer> axes = n.attrInts("axes") == null ? List.of(0, 2, 3) : ShapeOps.ints(n.attrInts("axes"));
            Value d = n.b.sub(x, n.b.reduceMean(x, axes, true, null), null);
            Value var = n.b.reduceMean(n.b.mul(d, d, null), axes, true, null);
            Value sd = n.b.unary(UnaryKind.SQRT, n.b.add(var, ElementwiseOps.scalar(n, x.dtype(), 1e-9), null), null);
            n.out(n.b.div(d, sd, n.outName(0)));
        });
        reduce(m, "ReduceSum", ReduceKind.SUM, 13);
        reduce(m, "ReduceMean", ReduceKind.MEAN, 18);
        reduce(m, "ReduceMax", ReduceKind.MAX, 18);
        reduce(m, "ReduceMin", ReduceKind.MIN, 18);
        reduce(m, "ReduceProd", ReduceKind.PROD, 18);
        composite(m, "ReduceL1", 18, (n, x) -> n.b.unary(UnaryKind.ABS, x, null), ReduceKind.SUM, null);
        composite(m, "ReduceSumSquare", 18, (n, x) -> n.b.mul(x, x, null), ReduceKind.SUM, null);
        composite(m, "ReduceL2", 18, (n, x) -> n.b.mul(x, x, null), ReduceKind.SUM, UnaryKind.SQRT);
        composite(m, "ReduceLogSum", 18, (n, x) -> x, ReduceKind.SUM, UnaryKind.LOG);
        m.put("ReduceLogSumExp", MathOps::reduceLogSumExp);
        m.put("ArgMax", n -> argExtreme(n, false));
        m.put("ArgMin", n -> argExtreme(n, true));
    }

    /**
     * ArgMax/ArgMin from the IR's arg_max (first index on ties): ArgMin negates the input; select_last_index
     * reverses the axis and maps the index back (n - 1 - i).
     */
    private static void argExtreme(NodeCtx n, boolean min) {
        Value x = n.x(0);
        int axis = n.axis(n.attrInt("axis", 0), x.rank());
        boolean keep = n.attrInt("keepdims", 1) != 0;
        if (min) x = n.b.unary(UnaryKind.NEG, x, null);
        if (n.attrInt("select_last_index", 0) == 0) {
            n.out(n.b.argMax(x, axis, keep, n.outName(0)));
            return;
        }
        Dim d = x.shape().dim(axis);
        if (!d.isConstant()) throw n.fail("select_last_index on symbolic dim " + d);
        Value rev = n.b.slice(x, List.of(-1L), List.of(-dev.ingot.ir.ShapeOp.Slice.END), List.of(axis), List.of(-1L), null);
        Value i = n.b.argMax(rev, axis, keep, null);
        n.out(n.b.sub(ElementwiseOps.scalar(n, i.dtype(), d.constant() - 1), i, n.outName(0)));
    }

    /** reduce(pre(x)) then an optional unary post-op (ReduceL2 = sqrt(sum(x^2)), ReduceLogSum = log(sum(x))). */
    private static void composite(Map<String, OpTranslator> m, String op, int axesInputSince,
                                  java.util.function.BiFunction<NodeCtx, Value, Value> pre, ReduceKind kind, UnaryKind post) {
        m.put(op, n -> {
            List<Long> axes = ShapeOps.axes(n, axesInputSince);
            boolean keep = n.attrInt("keepdims", 1) != 0;
            Value x = n.x(0);
            if ((axes == null || axes.isEmpty()) && n.attrInt("noop_with_empty_axes", 0) != 0) {
                // no reduction: only the elementwise parts apply
                Value y = pre.apply(n, x);
                n.out(post == null ? y : n.b.unary(post, y, null));
                return;
            }
            Value r = n.b.reduce(kind, pre.apply(n, x), ShapeOps.ints(axes), keep, post == null ? n.outName(0) : null);
            n.out(post == null ? r : n.b.unary(post, r, n.outName(0)));
        });
    }

    /** log(sum(exp(x))) computed stably as max + log(sum(exp(x - max))). */
    private static void reduceLogSumExp(NodeCtx n) {
        List<Integer> axes = ShapeOps.ints(ShapeOps.axes(n, 18));
        boolean keep = n.attrInt("keepdims", 1) != 0;
        Value x = n.x(0);
        Value max = n.b.reduceMax(x, axes, true, null);
        Value s = n.b.reduceSum(n.b.unary(UnaryKind.EXP, n.b.sub(x, max, null), null), axes, keep, null);
        Value mx = keep ? max : n.b.reduceMax(x, axes, false, null);
        n.out(n.b.add(mx, n.b.unary(UnaryKind.LOG, s, null), n.outName(0)));
    }

    private static void gemm(NodeCtx n) {
        // Y = alpha * A' B' + beta * C, A' = transA ? A^T : A (A and B are 2-D)
        Value a = n.x(0), bm = n.x(1);
        if (n.attrInt("transA", 0) != 0) a = n.b.transpose(a, List.of(1, 0), null);
        if (n.attrInt("transB", 0) != 0) bm = n.b.transpose(bm, List.of(1, 0), null);
        float alpha = n.attrFloat("alpha", 1f), beta = n.attrFloat("beta", 1f);
        boolean hasC = n.has(2) && beta != 0;
        Value y = n.b.matmul(a, bm, hasC || alpha != 1f ? null : n.outName(0));
        if (alpha != 1f) y = n.b.mul(y, ElementwiseOps.scalar(n, y.dtype(), alpha), hasC ? null : n.outName(0));
        if (hasC) {
            Value c = n.x(2);
            if (beta != 1f) c = n.b.mul(c, ElementwiseOps.scalar(n, c.dtype(), beta), null);
            y = n.b.add(y, c, n.outName(0));
        }
        n.out(y);
    }

    /**
     * Softmax along {@code axis} (opset 13+, default -1). Before opset 13 the input is coerced to 2-D at
     * {@code axis} (default 1) and normalised over the whole flattened tail.
     */
    private static Value softmax(NodeCtx n, boolean log) {
        Value x = n.x(0);
        Value y;
        if (n.opset() >= 13) {
            y = n.b.softmax(x, (int) n.attrInt("axis", -1), log ? null : n.outName(0));
        } else {
            Shape s = x.shape();
            int a = n.axis(n.attrInt("axis", 1), s.rank());
            Dim outer = Dim.of(1), inner = Dim.of(1);
            for (int i = 0; i < s.rank(); i++) {
                if (i < a) outer = outer.times(s.dim(i));
                else inner = inner.times(s.dim(i));
            }
            Value flat = n.b.reshape(x, new Shape(List.of(outer, inner)), null);
            y = n.b.reshape(n.b.softmax(flat, 1, null), s, log ? null : n.outName(0));
        }
        return log ? n.b.unary(UnaryKind.LOG, y, n.outName(0)) : y;
    }

    private static void layerNorm(NodeCtx n) {
        Value x = n.x(0), w = n.x(1), bias = n.has(2) ? n.x(2) : null;
        Shape s = x.shape();
        int a = n.axis(n.attrInt("axis", -1), s.rank());
        float eps = n.attrFloat("epsilon", 1e-5f);
        if (n.outputs() > 1) statistics(n, x, a, eps);
        if (a == s.rank() - 1 && w.rank() == 1 && (bias == null || bias.rank() == 1)) {
            n.out(n.b.layerNorm(x, w, bias, eps, n.outName(0)));
            return;
        }
        // normalise over the flattened tail [a, rank): x -> [outer, inner], scale/bias -> [inner]
        Dim inner = Dim.of(1);
        List<Dim> outerDims = new ArrayList<>(s.dims().subList(0, a));
        for (int i = a; i < s.rank(); i++) inner = inner.times(s.dim(i));
        outerDims.add(inner);
        Value xf = n.b.reshape(x, new Shape(outerDims), null);
        Value wf = n.b.reshape(n.b.expand(w, s.sub(a, s.rank()), null), new Shape(List.of(inner)), null);
        Value bf = bias == null ? null : n.b.reshape(n.b.expand(bias, s.sub(a, s.rank()), null), new Shape(List.of(inner)), null);
        n.out(n.b.reshape(n.b.layerNorm(xf, wf, bf, eps, null), s, n.outName(0)));
    }

    /**
     * Local response normalisation across channels: y = x / (bias + alpha / size * sum of x^2 over the channel
     * window [c - floor((size-1)/2), c + ceil((size-1)/2)])^beta; the window sum adds shifted slices of the
     * zero-padded squares (C static).
     */
    private static void lrn(NodeCtx n) {
        Value x = n.x(0);
        long size = n.attrInt("size", 1);
        Dim c = x.shape().dim(1);
        if (!c.isConstant()) throw n.fail("channel dim must be static, got " + c);
        long before = (size - 1) / 2, after = size - 1 - before;
        Value sq = n.b.mul(x, x, null);
        List<Value> parts = new ArrayList<>();
        if (before > 0) parts.add(n.b.expand(ElementwiseOps.scalar(n, x.dtype(), 0), x.shape().with(1, Dim.of(before)), null));
        parts.add(sq);
        if (after > 0) parts.add(n.b.expand(ElementwiseOps.scalar(n, x.dtype(), 0), x.shape().with(1, Dim.of(after)), null));
        Value padded = parts.size() == 1 ? sq : n.b.concat(parts, 1, null);
        Value sum = null;
        for (long i = 0; i < size; i++) {
            Value sl = n.b.slice(padded, 1, i, i + c.constant(), null);
            sum = sum == null ? sl : n.b.add(sum, sl, null);
        }
        Value scaled = n.b.mul(sum, ElementwiseOps.scalar(n, x.dtype(), n.attrFloat("alpha", 1e-4f) / size), null);
        Value base = n.b.add(scaled, ElementwiseOps.scalar(n, x.dtype(), n.attrFloat("bias", 1f)), null);
        Value den = n.b.binary(dev.ingot.ir.ElementwiseOp.BinaryKind.POW, base, ElementwiseOps.scalar(n, x.dtype(), n.attrFloat("beta", 0.75f)), null);
        n.out(n.b.div(x, den, n.outName(0)));
    }

    /** Per (n, c) normalisation over the spatial axes: (x - mean) / sqrt(var + eps) * scale[c] + bias[c]. */
    private static void instanceNorm(NodeCtx n) {
        Value x = n.x(0);
        List<Integer> axes = new ArrayList<>(), tail = new ArrayList<>();
        for (int i = 2; i < x.rank(); i++) {
            axes.add(i);
            tail.add(i - 1);
        }
        Value mean = n.b.reduceMean(x, axes, true, null);
        Value d = n.b.sub(x, mean, null);
        Value var = n.b.reduceMean(n.b.mul(d, d, null), axes, true, null);
        Value inv = n.b.unary(UnaryKind.RSQRT, n.b.add(var, ElementwiseOps.scalar(n, x.dtype(), n.attrFloat("epsilon", 1e-5f)), null), null);
        Value scale = n.b.unsqueeze(n.x(1), tail, null), bias = n.b.unsqueeze(n.x(2), tail, null);
        n.out(n.b.add(n.b.mul(n.b.mul(d, inv, null), scale, null), bias, n.outName(0)));
    }

    /** The optional Mean and InvStdDev outputs, reduced over axes [a, rank) with kept dims. */
    private static void statistics(NodeCtx n, Value x, int a, float eps) {
        List<Integer> axes = new ArrayList<>();
        for (int i = a; i < x.rank(); i++) axes.add(i);
        Value mean = n.b.reduceMean(x, axes, true, n.outName(1));
        Value d = n.b.sub(x, mean, null);
        Value var = n.b.reduceMean(n.b.mul(d, d, null), axes, true, null);
        Value inv = n.b.unary(UnaryKind.RECIPROCAL,
                n.b.unary(UnaryKind.SQRT, n.b.add(var, ElementwiseOps.scalar(n, x.dtype(), eps), null), null), n.outName(2));
        n.out(1, mean);
        if (n.outputs() > 2) n.out(2, inv);
    }

    private static void reduce(Map<String, OpTranslator> m, String op, ReduceKind kind, int axesInputSince) {
        m.put(op, n -> {
            List<Long> axes = ShapeOps.axes(n, axesInputSince);
            boolean keep = n.attrInt("keepdims", 1) != 0;
            if ((axes == null || axes.isEmpty()) && n.attrInt("noop_with_empty_axes", 0) != 0) {
                n.alias(0, 0);
                return;
            }
            n.out(n.b.reduce(kind, n.x(0), ShapeOps.ints(axes), keep, n.outName(0)));
        });
    }
}
