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
        reduce(m, "ReduceSum", ReduceKind.SUM, 13);
        reduce(m, "ReduceMean", ReduceKind.MEAN, 18);
        reduce(m, "ReduceMax", ReduceKind.MAX, 18);
        reduce(m, "ReduceMin", ReduceKind.MIN, 18);
        reduce(m, "ReduceProd", ReduceKind.PROD, 18);
        m.put("ArgMax", n -> {
            if (n.attrInt("select_last_index", 0) != 0) throw n.fail("select_last_index=1 is not supported");
            n.out(n.b.argMax(n.x(0), (int) n.attrInt("axis", 0), n.attrInt("keepdims", 1) != 0, n.outName(0)));
        });
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
        if (n.outputs() > 1 && n.node.getOutputList().subList(1, n.outputs()).stream().anyMatch(o -> !o.isEmpty())) {
            throw n.fail("Mean/InvStdDev outputs are not supported");
        }
        Value x = n.x(0), w = n.x(1), bias = n.has(2) ? n.x(2) : null;
        Shape s = x.shape();
        int a = n.axis(n.attrInt("axis", -1), s.rank());
        float eps = n.attrFloat("epsilon", 1e-5f);
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
