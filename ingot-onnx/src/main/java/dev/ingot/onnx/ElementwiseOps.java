package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.Map;

/**
 * Elementwise ONNX ops: arithmetic, comparisons and logic (numpy broadcasting, as the IR), unary math,
 * activations composed from IR primitives, Clip, Where and Cast.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static void register(Map<String, OpTranslator> m) {
        binary(m, "Add", BinaryKind.ADD);
        binary(m, "Sub", BinaryKind.SUB);
        binary(m, "Mul", BinaryKind.MUL);
        binary(m, "Div", BinaryKind.DIV);
        binary(m, "Equal", BinaryKind.EQ);
        binary(m, "Less", BinaryKind.LT);
        binary(m, "LessOrEqual", BinaryKind.LE);
        binary(m, "Greater", BinaryKind.GT);
        binary(m, "GreaterOrEqual", BinaryKind.GE);
        binary(m, "And", BinaryKind.AND);
        binary(m, "Or", BinaryKind.OR);
        binary(m, "Xor", BinaryKind.XOR);
        m.put("Pow", ElementwiseOps::pow);
        m.put("Mod", ElementwiseOps::mod);
        variadic(m, "Max", BinaryKind.MAX);
        variadic(m, "Min", BinaryKind.MIN);
        variadic(m, "Sum", BinaryKind.ADD);
        m.put("Mean", n -> {
            variadicValue(n, BinaryKind.ADD);
        });
        unary(m, "Neg", UnaryKind.NEG);
        unary(m, "Abs", UnaryKind.ABS);
        unary(m, "Exp", UnaryKind.EXP);
        unary(m, "Log", UnaryKind.LOG);
        unary(m, "Sqrt", UnaryKind.SQRT);
        unary(m, "Erf", UnaryKind.ERF);
        unary(m, "Tanh", UnaryKind.TANH);
        unary(m, "Sigmoid", UnaryKind.SIGMOID);
        unary(m, "Relu", UnaryKind.RELU);
        unary(m, "Reciprocal", UnaryKind.RECIPROCAL);
        unary(m, "Not", UnaryKind.NOT);
        unary(m, "Sin", UnaryKind.SIN);
        unary(m, "Cos", UnaryKind.COS);
        unary(m, "Floor", UnaryKind.FLOOR);
        unary(m, "Ceil", UnaryKind.CEIL);
        m.put("Gelu", n -> n.out(n.b.gelu(n.x(0), "tanh".equals(n.attrString("approximate", "none")), n.outName(0))));
        m.put("LeakyRelu", n -> {
            // x >= 0 ? x : alpha x
            Value x = n.x(0);
            Value ax = n.b.mul(x, scalar(n, x.dtype(), n.attrFloat("alpha", 0.01f)), null);
            n.out(n.b.where(n.b.binary(BinaryKind.LT, x, scalar(n, x.dtype(), 0), null), ax, x, n.outName(0)));
        });
        m.put("Clip", ElementwiseOps::clip);
        m.put("Where", n -> n.out(n.b.where(n.x(0), n.x(1), n.x(2), n.outName(0))));
        m.put("Cast", n -> {
            DType to = TensorProtos.dtype((int) n.attrInt("to", 0));
            if (n.type(0).dtype() == to) n.alias(0, 0);
            else n.out(n.b.cast(n.x(0), to, n.outName(0)));
        });
        m.put("Identity", n -> n.alias(0, 0));
        m.put("Tan", n -> n.out(n.b.div(n.b.unary(UnaryKind.SIN, n.x(0), null), n.b.unary(UnaryKind.COS, n.x(0), null), n.outName(0))));
        // sinh = (e^x - e^-x) / 2, cosh = (e^x + e^-x) / 2
        m.put("Sinh", n -> n.out(hyperbolic(n, BinaryKind.SUB)));
        m.put("Cosh", n -> n.out(hyperbolic(n, BinaryKind.ADD)));
        // asinh = log(x + sqrt(x^2 + 1)), acosh = log(x + sqrt(x^2 - 1)), atanh = log((1 + x) / (1 - x)) / 2
        m.put("Asinh", n -> n.out(logOfRoot(n, 1)));
        m.put("Acosh", n -> n.out(logOfRoot(n, -1)));
        m.put("Atanh", n -> {
            Value x = n.x(0), one = scalar(n, x.dtype(), 1);
            Value q = n.b.div(n.b.add(one, x, null), n.b.sub(one, x, null), null);
            n.out(n.b.mul(n.b.unary(UnaryKind.LOG, q, null), scalar(n, x.dtype(), 0.5), n.outName(0)));
        });
        m.put("Round", n -> n.out(QuantOps.roundHalfEven(n, n.x(0))));
        // sign: (x > 0) - (x < 0), in x's dtype
        m.put("Sign", n -> {
            Value x = n.x(0);
            Value pos = n.b.cast(n.b.binary(BinaryKind.GT, x, scalar(n, x.dtype(), 0), null), x.dtype(), null);
            Value neg = n.b.cast(n.b.binary(BinaryKind.LT, x, scalar(n, x.dtype(), 0), null), x.dtype(), null);
            n.out(n.b.sub(pos, neg, n.outName(0)));
        });
        // NaN is the only value not equal to itself
        m.put("IsNaN", n -> n.out(n.b.binary(BinaryKind.NE, n.x(0), n.x(0), n.outName(0))));
        m.put("IsInf", n -> {
            Value x = n.x(0);
            boolean pos = n.attrInt("detect_positive", 1) != 0, neg = n.attrInt("detect_negative", 1) != 0;
            Value p = n.b.binary(BinaryKind.EQ, x, scalar(n, x.dtype(), Double.POSITIVE_INFINITY), null);
            Value q = n.b.binary(BinaryKind.EQ, x, scalar(n, x.dtype(), Double.NEGATIVE_INFINITY), null);
            if (pos && neg) n.out(n.b.binary(BinaryKind.OR, p, q, n.outName(0)));
            else if (pos) n.out(p);
            else if (neg) n.out(q);
            else n.out(n.b.binary(BinaryKind.NE, p, p, n.outName(0))); // all false
        });
    }

    private static Value hyperbolic(NodeCtx n, BinaryKind kind) {
        Value x = n.x(0);
        Value e = n.b.unary(UnaryKind.EXP, x, null), em = n.b.unary(UnaryKind.EXP, n.b.unary(UnaryKind.NEG, x, null), null);
        return n.b.mul(n.b.binary(kind, e, em, null), scalar(n, x.dtype(), 0.5), n.outName(0));
    }

    private static Value logOfRoot(NodeCtx n, double c) {
        Value x = n.x(0);
        Value r = n.b.unary(UnaryKind.SQRT, n.b.add(n.b.mul(x, x, null), scalar(n, x.dtype(), c), null), null);
        return n.b.unary(UnaryKind.LOG, n.b.add(x, r, null), n.outName(0));
    }

    /** A 0-d constant of {@code dtype} (broadcasts against anything). */
    static Value scalar(NodeCtx n, DType dtype, double v) {
        Tensor t = Tensor.zeros(dtype);
        t.setDouble(0, v);
        return n.b.constant(new TensorType(dtype, Shape.SCALAR), t.toSegment(), null);
    }

    private static void binary(Map<String, OpTranslator> m, String op, BinaryKind kind) {
        m.put(op, n -> n.out(n.b.binary(kind, n.x(0), n.x(1), n.outName(0))));
    }

    private static void unary(Map<String, OpTranslator> m, String op, UnaryKind kind) {
        m.put(op, n -> n.out(n.b.unary(kind, n.x(0), n.outName(0))));
    }

    private static void variadic(Map<String, OpTranslator> m, String op, BinaryKind kind) {
        m.put(op, n -> {
            if (n.inputs() == 1) n.alias(0, 0);
            else n.out(variadicValue(n, kind));
        });
    }

    /** Folds inputs left to right with {@code kind}; Mean divides the sum by the count. */
    private static Value variadicValue(NodeCtx n, BinaryKind kind) {
        Value acc = n.x(0);
        for (int i = 1; i < n.inputs(); i++) acc = n.b.binary(kind, acc, n.x(i), null);
        if (n.op().equals("Mean")) {
            acc = n.b.div(acc, scalar(n, acc.dtype(), n.inputs()), n.outName(0));
            n.out(acc);
        }
        return acc;
    }

    private static void pow(NodeCtx n) {
        // opset 12+ allows a different exponent dtype: the result has the base's dtype
        Value base = n.x(0), e = n.x(1);
        if (e.dtype() != base.dtype()) e = n.b.cast(e, base.dtype(), null);
        n.out(n.b.binary(BinaryKind.POW, base, e, n.outName(0)));
    }

    private static void mod(NodeCtx n) {
        Value a = n.x(0), d = n.x(1);
        if (n.attrInt("fmod", 0) == 0) {
            n.out(n.b.binary(BinaryKind.MOD, a, d, n.outName(0)));
            return;
        }
        // fmod: a - trunc(a / d) * d, the sign of the dividend (C fmod)
        if (!a.dtype().isFloatingPoint()) {
            // integer DIV truncates toward zero, so a - (a / d) * d is C's remainder
            n.out(n.b.sub(a, n.b.mul(n.b.div(a, d, null), d, null), n.outName(0)));
            return;
        }
        Value q = n.b.div(a, d, null);
        Value trunc = n.b.where(n.b.binary(BinaryKind.LT, q, scalar(n, q.dtype(), 0), null),
                n.b.unary(UnaryKind.CEIL, q, null), n.b.unary(UnaryKind.FLOOR, q, null), null);
        n.out(n.b.sub(a, n.b.mul(trunc, d, null), n.outName(0)));
    }

    private static void clip(NodeCtx n) {
        Value x = n.x(0);
        Value lo = null, hi = null;
        if (n.opset() < 11) {
            if (n.hasAttr("min")) lo = scalar(n, x.dtype(), n.attrFloat("min", 0));
            if (n.hasAttr("max")) hi = scalar(n, x.dtype(), n.attrFloat("max", 0));
        } else {
            if (n.has(1)) lo = n.x(1);
            if (n.has(2)) hi = n.x(2);
        }
        Value y = x;
        if (lo != null) y = n.b.binary(BinaryKind.MAX, y, lo, hi == null ? n.outName(0) : null);
        if (hi != null) y = n.b.binary(BinaryKind.MIN, y, hi, n.outName(0));
        if (y == x) n.alias(0, 0);
        else n.out(y);
    }
}
