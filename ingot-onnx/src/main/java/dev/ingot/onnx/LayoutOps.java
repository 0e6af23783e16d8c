package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Tile, Pad, Trilu and inference BatchNormalization, composed from concat, gather, iota, where and elementwise
 * IR ops. Repeats and pads must be known at import time; Pad's edge/reflect modes index with an import-time
 * gather, so the padded axes must be static.
 */
final class LayoutOps {
    private LayoutOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Tile", n -> {
            Value x = n.x(0);
            List<Long> reps = n.longs(1, "repeats");
            for (int a = 0; a < reps.size(); a++) {
                if (reps.get(a) != 1) x = n.b.concat(Collections.nCopies((int) (long) reps.get(a), x), a, null);
            }
            n.out(x == n.x(0) ? n.b.reshape(x, x.shape(), n.outName(0)) : x);
        });
        m.put("Pad", LayoutOps::pad);
        m.put("Trilu", LayoutOps::trilu);
        m.put("BatchNormalization", LayoutOps::batchNorm);
        m.put("DepthToSpace", LayoutOps::depthToSpace);
        m.put("SpaceToDepth", LayoutOps::spaceToDepth);
    }

    /** [N, C, H, W] -> [N, C/b², H b, W b]: DCR splits C as (b, b, C/b²), CRD as (C/b², b, b). */
    private static void depthToSpace(NodeCtx n) {
        Value x = n.x(0);
        long bs = n.attrInt("blocksize", 1);
        Shape s = x.shape();
        Dim nn = s.dim(0), c = s.dim(1), h = s.dim(2), w = s.dim(3);
        Dim co = c.div(bs * bs);
        boolean crd = n.attrString("mode", "DCR").equals("CRD");
        Value t = crd
                ? n.b.transpose(n.b.reshape(x, new Shape(List.of(nn, co, Dim.of(bs), Dim.of(bs), h, w)), null), List.of(0, 1, 4, 2, 5, 3), null)
                : n.b.transpose(n.b.reshape(x, new Shape(List.of(nn, Dim.of(bs), Dim.of(bs), co, h, w)), null), List.of(0, 3, 4, 1, 5, 2), null);
        n.out(n.b.reshape(t, new Shape(List.of(nn, co, h.times(bs), w.times(bs))), n.outName(0)));
    }

    /** [N, C, H, W] -> [N, C b², H/b, W/b], the inverse of DCR DepthToSpace. */
    private static void spaceToDepth(NodeCtx n) {
        Value x = n.x(0);
        long bs = n.attrInt("blocksize", 1);
        Shape s = x.shape();
        Dim nn = s.dim(0), c = s.dim(1), ho = s.dim(2).div(bs), wo = s.dim(3).div(bs);
        Value t = n.b.reshape(x, new Shape(List.of(nn, c, ho, Dim.of(bs), wo, Dim.of(bs))), null);
        t = n.b.transpose(t, List.of(0, 3, 5, 1, 2, 4), null);
        n.out(n.b.reshape(t, new Shape(List.of(nn, c.times(bs * bs), ho, wo)), n.outName(0)));
    }

    private static void pad(NodeCtx n) {
        Value x = n.x(0);
        int r = x.rank();
        List<Long> pads;
        double value;
        List<Long> axes = null;
        if (n.opset() < 11) {
            pads = n.attrInts("pads");
            value = n.attrFloat("value", 0);
        } else {
            pads = n.longs(1, "pads");
            value = n.has(2) ? n.constant(2, "constant_value").getDouble(0) : 0;
            if (n.has(3)) axes = n.longs(3, "axes");
        }
        String mode = n.attrString("mode", "constant");
        int k = axes == null ? r : axes.size();
        for (int i = 0; i < k; i++) {
            int a = axes == null ? i : n.axis(axes.get(i), r);
            long before = pads.get(i), after = pads.get(i + k);
            if (before == 0 && after == 0) continue;
            Dim d = x.shape().dim(a);
            if (mode.equals("constant")) {
                // negative pads crop
                if (before < 0 || after < 0) {
                    x = n.b.slice(x, a, Math.max(0, -before), after < 0 ? after : dev.ingot.ir.ShapeOp.Slice.END, null);
                    before = Math.max(0, before);
                    after = Math.max(0, after);
                }
                List<Value> parts = new ArrayList<>();
                if (before > 0) parts.add(block(n, x, a, before, value));
                parts.add(x);
                if (after > 0) parts.add(block(n, x, a, after, value));
                x = n.b.concat(parts, a, null);
            } else {
                if (!d.isConstant()) throw n.fail(mode + " padding of symbolic dim " + d);
                long len = d.constant();
                long[] idx = new long[(int) (before + len + after)];
                for (int j = 0; j < idx.length; j++) idx[j] = source(mode, j - before, len, n);
                Value ix = n.b.constant(new TensorType(DType.I64, Shape.of(idx.length)), Tensor.i64(idx, idx.length).toSegment(), null);
                x = n.b.gather(x, ix, a, null);
            }
        }
        n.out(n.b.reshape(x, x.shape(), n.outName(0)));
    }

    /** The source index of padded position {@code j} (may be outside [0, len)) for edge/reflect/wrap. */
    private static long source(String mode, long j, long len, NodeCtx n) {
        return switch (mode) {
            case "edge" -> Math.clamp(j, 0, len - 1);
            case "wrap" -> Math.floorMod(j, len);
            case "reflect" -> {
                if (len == 1) yield 0;
                long p = 2 * (len - 1), m = Math.floorMod(j, p);
                yield m < len ? m : p - m;
            }
            default -> throw n.fail("pad mode " + mode + " is not supported");
        };
    }

    /** A block of {@code value} shaped like x with {@code size} along {@code axis}. */
    private static Value block(NodeCtx n, Value x, int axis, long size, double value) {
        return n.b.expand(ElementwiseOps.scalar(n, x.dtype(), value), x.shape().with(axis, Dim.of(size)), null);
    }

    /** Keeps x[..., i, j] where j - i >= k (upper) or j - i <= k (lower), zero elsewhere. */
    private static void trilu(NodeCtx n) {
        Value x = n.x(0);
        long k = n.has(1) ? n.constant(1, "k").getLong(0) : 0;
        Shape mat = x.shape().sub(x.rank() - 2, x.rank());
        Value i = n.b.iota(new TensorType(DType.I64, mat), 0, null), j = n.b.iota(new TensorType(DType.I64, mat), 1, null);
        Value diff = n.b.sub(j, i, null);
        boolean upper = n.attrInt("upper", 1) != 0;
        Value keep = n.b.binary(upper ? BinaryKind.GE : BinaryKind.LE, diff, ElementwiseOps.scalar(n, DType.I64, k), null);
        n.out(n.b.where(keep, x, ElementwiseOps.scalar(n, x.dtype(), 0), n.outName(0)));
    }

    /** Inference form: (x - mean) / sqrt(var + eps) * scale + bias, parameters [C] along axis 1. */
    private static void batchNorm(NodeCtx n) {
        if (n.attrInt("training_mode", 0) != 0 || n.outputs() > 1 && !n.node.getOutput(1).isEmpty()) {
            throw n.fail("training mode (running statistics outputs) is not supported");
        }
        Value x = n.x(0);
        List<Integer> tail = new ArrayList<>();
        for (int i = 2; i < x.rank(); i++) tail.add(i - 1);
        Value scale = chan(n, n.x(1), tail), bias = chan(n, n.x(2), tail), mean = chan(n, n.x(3), tail), var = chan(n, n.x(4), tail);
        Value eps = ElementwiseOps.scalar(n, x.dtype(), n.attrFloat("epsilon", 1e-5f));
        Value inv = n.b.unary(UnaryKind.RSQRT, n.b.add(var, eps, null), null);
        Value y = n.b.mul(n.b.sub(x, mean, null), n.b.mul(inv, scale, null), null);
        n.out(n.b.add(y, bias, n.outName(0)));
    }

    private static Value chan(NodeCtx n, Value p, List<Integer> tail) { return tail.isEmpty() ? p : n.b.unsqueeze(p, tail, null); }
}
