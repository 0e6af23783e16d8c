package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Linear quantisation ops, composed from IR elementwise ops and an integer matmul: QuantizeLinear
 * (round half to even, saturate), DequantizeLinear, DynamicQuantizeLinear (uint8, ONNX's asymmetric rule) and
 * MatMulInteger (int32 accumulation after subtracting zero points).
 */
final class QuantOps {
    private QuantOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("QuantizeLinear", QuantOps::quantize);
        m.put("DequantizeLinear", QuantOps::dequantize);
        m.put("DynamicQuantizeLinear", QuantOps::dynamicQuantize);
        m.put("MatMulInteger", QuantOps::matMulInteger);
        m.put("QLinearMatMul", QuantOps::qlinearMatMul);
    }

    private static void quantize(NodeCtx n) {
        Value x = n.x(0);
        Value scale = perAxis(n, n.x(1), x);
        DType to = n.has(2) ? n.type(2).dtype() : DType.U8;
        Value q = roundHalfEven(n, n.b.div(x, cast(n, scale, x.dtype()), null));
        if (n.has(2)) q = n.b.add(q, cast(n, perAxis(n, n.x(2), x), x.dtype()), null);
        n.out(saturate(n, q, to, n.outName(0)));
    }

    private static void dequantize(NodeCtx n) {
        Value scale = n.x(1);
        Value xi = n.x(0);
        Value x = n.b.cast(xi, scale.dtype(), null);
        if (n.has(2)) x = n.b.sub(x, n.b.cast(perAxis(n, n.x(2), xi), scale.dtype(), null), null);
        n.out(n.b.mul(x, perAxis(n, scale, xi), n.outName(0)));
    }

    /** y_scale = (max(x, 0) - min(x, 0)) / 255, zp = saturate(round(-min / scale)), y = saturate(round(x / scale) + zp). */
    private static void dynamicQuantize(NodeCtx n) {
        GraphBuilder b = n.b;
        Value x = n.x(0);
        Value zero = ElementwiseOps.scalar(n, x.dtype(), 0);
        Value lo = b.binary(BinaryKind.MIN, b.reduce(dev.ingot.ir.ReduceOp.ReduceKind.MIN, x, List.of(), false, null), zero, null);
        Value hi = b.binary(BinaryKind.MAX, b.reduceMax(x, List.of(), false, null), zero, null);
        Value scale = b.div(b.sub(hi, lo, null), ElementwiseOps.scalar(n, x.dtype(), 255), n.outName(1));
        Value zpf = saturateFloat(n, roundHalfEven(n, b.div(b.unary(UnaryKind.NEG, lo, null), scale, null)), DType.U8);
        Value zp = b.cast(zpf, DType.U8, n.outName(2));
        Value y = saturate(n, b.add(roundHalfEven(n, b.div(x, scale, null)), zpf, null), DType.U8, n.outName(0));
        n.out(0, y);
        n.out(1, scale);
        n.out(2, zp);
    }

    private static void matMulInteger(NodeCtx n) {
        Value a = n.b.cast(n.x(0), DType.I32, null), w = n.b.cast(n.x(1), DType.I32, null);
        if (n.has(2)) {
            Value za = n.b.cast(n.x(2), DType.I32, null);
            // a 1-D a_zero_point is per row of A: [M] -> [M, 1]
            if (za.rank() == 1 && a.rank() >= 2 && !za.shape().dim(0).isConstant() || za.rank() == 1 && za.shape().dim(0).constant() > 1) {
                za = n.b.unsqueeze(za, List.of(1), null);
            }
            a = n.b.sub(a, za, null);
        }
        if (n.has(3)) w = n.b.sub(w, n.b.cast(n.x(3), DType.I32, null), null);
        n.out(n.b.matmul(a, w, n.outName(0)));
    }

    /** quantize(dequantize(a) x dequantize(b)) with y's scale and zero point, as the ONNX reference does. */
    private static void qlinearMatMul(NodeCtx n) {
        Value a = deq(n, n.x(0), n.x(1), n.x(2)), w = deq(n, n.x(3), n.x(4), n.x(5));
        Value y = n.b.matmul(a, w, null);
        Value q = roundHalfEven(n, n.b.div(y, n.x(6), null));
        q = n.b.add(q, n.b.cast(n.x(7), DType.F32, null), null);
        n.out(saturate(n, q, n.type(7).dtype(), n.outName(0)));
    }

    private static Value deq(NodeCtx n, Value x, Value scale, Value zp) {
        Value d = n.b.sub(n.b.cast(x, DType.F32, null), n.b.cast(zp, DType.F32, null), null);
        return n.b.mul(d, cast(n, scale, DType.F32), null);
    }

    /** A 1-D per-axis parameter [C] shaped to broadcast along {@code axis} of x; scalars pass through. */
    private static Value perAxis(NodeCtx n, Value p, Value x) {
        if (p.rank() != 1 || x.rank() <= 1) return p;
        int axis = n.axis(n.attrInt("axis", 1), x.rank());
        List<Integer> tail = new ArrayList<>();
        for (int i = axis + 1; i < x.rank(); i++) tail.add(i - axis);
        return tail.isEmpty() ? p : n.b.unsqueeze(p, tail, null);
    }

    private static Value cast(NodeCtx n, Value v, DType to) { return v.dtype() == to ? v : n.b.cast(v, to, null); }

    /** Rounds to the nearest integer, ties to even (as ONNX and numpy): f = floor(q); f + (q - f > 0.5 or tie and f odd). */
    static Value roundHalfEven(NodeCtx n, Value q) {
        GraphBuilder b = n.b;
        Value f = b.unary(UnaryKind.FLOOR, q, null);
        Value d = b.sub(q, f, null);
        Value half = ElementwiseOps.scalar(n, q.dtype(), 0.5);
        Value odd = b.binary(BinaryKind.MOD, f, ElementwiseOps.scalar(n, q.dtype(), 2), null);
        Value tie = b.add(f, odd, null);
        Value up = b.add(f, ElementwiseOps.scalar(n, q.dtype(), 1), null);
        Value below = b.where(b.binary(BinaryKind.LT, d, half, null), f, tie, null);
        return b.where(b.binary(BinaryKind.GT, d, half, null), up, below, null);
    }

    private static Value saturateFloat(NodeCtx n, Value v, DType to) {
        double lo = to == DType.U8 ? 0 : to == DType.I8 ? -128 : Integer.MIN_VALUE;
        double hi = to == DType.U8 ? 255 : to == DType.I8 ? 127 : Integer.MAX_VALUE;
        Value c = n.b.binary(BinaryKind.MAX, v, ElementwiseOps.scalar(n, v.dtype(), lo), null);
        return n.b.binary(BinaryKind.MIN, c, ElementwiseOps.scalar(n, v.dtype(), hi), null);
    }

    private static Value saturate(NodeCtx n, Value v, DType to, String name) {
        if (to != DType.U8 && to != DType.I8 && to != DType.I32) throw n.fail("quantised type " + to + " is not supported");
        return n.b.cast(saturateFloat(n, v, to), to, name);
    }
}
