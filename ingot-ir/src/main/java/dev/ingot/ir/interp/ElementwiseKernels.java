package dev.ingot.ir.interp;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.tensor.DType;
import java.util.List;

/**
 * Elementwise ops with numpy broadcasting. Floats are computed in double and rounded once to the output dtype;
 * integers in long (exact).
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static Tensor eval(ElementwiseOp op, List<Tensor> in, DType outType, long[] outShape) {
        Tensor out = Tensor.zeros(outType, outShape);
        long n = out.numel();
        // one broadcast stride vector per operand; the odometer yields each operand's offset per output element
        long[][] strides = new long[in.size()][];
        for (int k = 0; k < in.size(); k++) strides[k] = Odometer.broadcastStrides(in.get(k).shape(), outShape);
        Odometer o = new Odometer(outShape, strides);
        switch (op) {
            case ElementwiseOp.Unary u -> {
                Tensor x = in.getFirst();
                // integers stay in long so I64 values beyond 2^53 are exact; BOOL (NOT) goes through double 0/1
                boolean integer = !x.dtype().isFloatingPoint() && x.dtype() != DType.BOOL;
                for (long i = 0; i < n; i++, o.next()) {
                    if (integer) out.setLong(i, unaryLong(u.kind(), x.getLong(o.off[0])));
                    else out.setDouble(i, unary(u.kind(), x.getDouble(o.off[0])));
                }
            }
            case ElementwiseOp.Binary b -> {
                Tensor x = in.get(0), y = in.get(1);
                boolean integer = !x.dtype().isFloatingPoint();
                for (long i = 0; i < n; i++, o.next()) {
                    if (integer) out.setLong(i, binaryLong(b.kind(), x.getLong(o.off[0]), y.getLong(o.off[1])));
                    else out.setDouble(i, binary(b.kind(), x.getDouble(o.off[0]), y.getDouble(o.off[1])));
                }
            }
            case ElementwiseOp.Where w -> {
                Tensor c = in.get(0), x = in.get(1), y = in.get(2);
                for (long i = 0; i < n; i++, o.next()) {
                    boolean take = c.getLong(o.off[0]) != 0;
                    out.copyFrom(i, take ? x : y, take ? o.off[1] : o.off[2]);
                }
            }
            case ElementwiseOp.Cast c -> {
                Tensor x = in.getFirst();
                boolean fromFloat = x.dtype().isFloatingPoint();
                for (long i = 0; i < n; i++, o.next()) {
                    if (c.to() == DType.BOOL) out.setLong(i, x.getDouble(o.off[0]) != 0 ? 1 : 0);
                    else if (fromFloat && !c.to().isFloatingPoint()) {
                        double v = x.getDouble(o.off[0]);
                        out.setLong(i, Double.isNaN(v) ? 0 : (long) v); // truncation toward zero
                    } else if (fromFloat) out.setDouble(i, x.getDouble(o.off[0]));
                    else if (c.to().isFloatingPoint()) out.setDouble(i, x.getLong(o.off[0]));
                    else out.setLong(i, x.getLong(o.off[0])); // integer narrowing wraps (two's complement)
                }
            }
        }
        return out;
    }

    /** The reference semantics of a unary op on one value (double precision); shared with compiled scalar steps. */
    public static double unary(UnaryKind k, double x) {
        return switch (k) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case ERF -> Erf.erf(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> x > 0 ? x : 0.0;
            case RECIPROCAL -> 1.0 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case SILU -> x / (1.0 + Math.exp(-x));
            case GELU_TANH -> 0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)));
            case GELU_ERF -> 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
            case NOT -> x != 0 ? 0 : 1;
        };
    }

    static long unaryLong(UnaryKind k, long x) {
        return switch (k) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            default -> throw new IllegalArgumentException(k + " is not defined on integers");
        };
    }

    /** The reference semantics of a binary op on two values (double precision); shared with compiled scalar steps. */
    public static double binary(BinaryKind k, double a, double b) {
        return switch (k) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            // NaN propagates (numpy maximum / ONNX Max), unlike a plain comparison
            case MAX -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MIN -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case MOD -> a - Math.floor(a / b) * b; // floor modulo: sign of the divisor
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case AND -> (a != 0 && b != 0) ? 1 : 0;
            case OR -> (a != 0 || b != 0) ? 1 : 0;
            case XOR -> ((a != 0) != (b != 0)) ? 1 : 0;
        };
    }

    static long binaryLong(BinaryKind k, long a, long b) {
        return switch (k) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b; // truncates toward zero; division by zero throws ArithmeticException
            case POW -> (long) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case MOD -> Math.floorMod(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case AND -> (a != 0 && b != 0) ? 1 : 0;
            case OR -> (a != 0 || b != 0) ? 1 : 0;
            case XOR -> ((a != 0) != (b != 0)) ? 1 : 0;
        };
    }
}
