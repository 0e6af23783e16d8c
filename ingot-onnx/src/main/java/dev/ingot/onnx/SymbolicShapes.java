package dev.ingot.onnx;

import dev.ingot.ir.shape.Dim;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape arithmetic over symbolic shape vectors at import time: the {@code Shape -> Gather -> Unsqueeze ->
 * Concat -> Reshape} subgraphs exporters emit. A node is handled here when one of its inputs is a symbolic
 * vector and the rest are constants; its output is again a vector of {@link Dim}s, so the consuming Reshape or
 * Expand sees a symbolic {@link dev.ingot.ir.shape.Shape} and the graph is valid for every binding.
 */
final class SymbolicShapes {
    private SymbolicShapes() {}

    /** Whether node {@code n} reads a symbolic shape vector and all its other inputs are known. */
    static boolean applies(NodeCtx n) {
        boolean symbolic = false;
        for (int i = 0; i < n.inputs(); i++) {
            if (!n.has(i)) continue;
            OnnxValue v = n.ctx.get(n.inName(i));
            if (v.dims != null) symbolic = true;
            // other operands must be small integer vectors/scalars (or bools for Where): a real tensor means data
            else if (v.constant == null || v.constant.rank() > 1 || v.constant.dtype().isFloatingPoint()) return false;
        }
        return symbolic;
    }

    /** Translates {@code n}; false when the op has no symbolic rule (the caller then reports it). */
    static boolean translate(NodeCtx n) {
        switch (n.op()) {
            case "Identity" -> n.alias(0, 0);
            case "Cast" -> {
                // int64 <-> int32 of sizes is exact; other targets are not shape arithmetic
                dev.ingot.tensor.DType to = TensorProtos.dtype((int) n.attrInt("to", 0));
                if (to != dev.ingot.tensor.DType.I64 && to != dev.ingot.tensor.DType.I32) return false;
                n.outDims(0, vec(n, 0), scalar(n, 0));
            }
            case "Gather" -> {
                List<Dim> d = vec(n, 0);
                List<Long> idx = n.longs(1, "indices");
                List<Dim> out = new ArrayList<>();
                for (long i : idx) out.add(d.get((int) (i < 0 ? i + d.size() : i)));
                n.outDims(0, out, n.rank(1) == 0);
            }
            case "Unsqueeze" -> {
                // only scalar -> [1]: a shape vector is at most 1-D
                if (!scalar(n, 0)) return false;
                n.outDims(0, vec(n, 0), false);
            }
            case "Squeeze" -> {
                List<Dim> d = vec(n, 0);
                if (d.size() != 1) throw n.fail("squeezing a shape vector of length " + d.size());
                n.outDims(0, d, true);
            }
            case "Concat" -> {
                List<Dim> out = new ArrayList<>();
                for (int i = 0; i < n.inputs(); i++) if (n.has(i)) out.addAll(vec(n, i));
                n.outDims(0, out, false);
            }
            case "Slice" -> {
                List<Dim> d = vec(n, 0);
                int len = d.size();
                long s = n.longs(1, "starts").getFirst(), e = n.longs(2, "ends").getFirst();
                long step = n.has(4) ? n.longs(4, "steps").getFirst() : 1;
                if (step != 1) throw n.fail("stepped slice of a shape vector");
                s = Math.clamp(s < 0 ? s + len : s, 0, len);
                e = Math.clamp(e < 0 ? e + len : e, 0, len);
                n.outDims(0, new ArrayList<>(d.subList((int) s, (int) Math.max(s, e))), false);
            }
            case "Add", "Sub", "Mul", "Div" -> n.outDims(0, arith(n), scalar(n, 0) && scalar(n, 1));
            case "Equal" -> equal(n);
            case "Where" -> {
                // a known condition selects between two shape vectors element by element
                dev.ingot.ir.interp.Tensor c = n.ctx.constant(n.inName(0));
                if (c == null) return false;
                List<Dim> a = vec(n, 1), b = vec(n, 2);
                int len = (int) Math.max(c.numel(), Math.max(a.size(), b.size()));
                List<Dim> out = new ArrayList<>();
                for (int i = 0; i < len; i++) {
                    boolean t = c.getLong(c.numel() == 1 ? 0 : i) != 0;
                    out.add(t ? a.get(a.size() == 1 ? 0 : i) : b.get(b.size() == 1 ? 0 : i));
                }
                n.outDims(0, out, scalar(n, 1) && scalar(n, 2) && c.rank() == 0);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Equal on shape vectors, decided at import: equal dims are equal; a symbolic dim (a size, so >= 0) differs
     * from a negative constant; anything else depends on the binding and is refused.
     */
    private static void equal(NodeCtx n) {
        List<Dim> a = vec(n, 0), b = vec(n, 1);
        int len = Math.max(a.size(), b.size());
        boolean[] out = new boolean[len];
        for (int i = 0; i < len; i++) {
            Dim x = a.get(a.size() == 1 ? 0 : i), y = b.get(b.size() == 1 ? 0 : i);
            if (x.equals(y)) out[i] = true;
            else if (x.isConstant() && y.isConstant() || x.isConstant() && x.constant() < 0 || y.isConstant() && y.constant() < 0) out[i] = false;
            else throw n.fail("cannot decide " + x + " == " + y + " at import time");
        }
        boolean sc = scalar(n, 0) && scalar(n, 1);
        n.outConstant(0, sc ? dev.ingot.ir.interp.Tensor.bool(out) : dev.ingot.ir.interp.Tensor.bool(out, len));
    }

    private static List<Dim> arith(NodeCtx n) {
        List<Dim> a = vec(n, 0), b = vec(n, 1);
        int len = Math.max(a.size(), b.size());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            Dim x = a.get(a.size() == 1 ? 0 : i), y = b.get(b.size() == 1 ? 0 : i);
            out.add(switch (n.op()) {
                case "Add" -> x.plus(y);
                case "Sub" -> x.minus(y);
                case "Mul" -> x.times(y);
                default -> {
                    try {
                        yield x.div(y);
                    } catch (IllegalArgumentException e) {
                        throw n.fail("shape division " + x + " / " + y + " is not exact");
                    }
                }
            });
        }
        return out;
    }

    private static List<Dim> vec(NodeCtx n, int i) { return n.dims(i, "shape vector"); }

    private static boolean scalar(NodeCtx n, int i) {
        OnnxValue v = n.ctx.get(n.inName(i));
        return v.dims != null ? v.scalar : v.constant.rank() == 0;
    }
}
