package dev.ingot.ir;

import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Elementwise ops with numpy broadcasting. Binary ops need equal input dtypes (no implicit promotion: frontends
 * insert {@link Cast}s); comparisons produce BOOL. Float math is evaluated in double and rounded to the output
 * dtype by the interpreter.
 */
public sealed interface ElementwiseOp extends Op {

    enum UnaryKind {
        NEG, ABS, EXP, LOG, SQRT, RSQRT, ERF, TANH, SIGMOID, RELU, RECIPROCAL, SIN, COS, FLOOR, CEIL,
        /** x * sigmoid(x). */
        SILU,
        /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as llama.cpp ggml_gelu. */
        GELU_TANH,
        /** 0.5 x (1 + erf(x / sqrt 2)), exact GELU (ONNX Gelu default, BERT). */
        GELU_ERF,
        /** Logical not of BOOL. */
        NOT;

        /** Kinds defined on integers too (the rest need a float dtype). */
        public boolean allowsInteger() { return this == NEG || this == ABS; }
    }

    enum BinaryKind {
        ADD, SUB, MUL,
        /** Float division; on integers truncates toward zero (as C and onnxruntime). */
        DIV,
        POW, MAX, MIN,
        /** Floor modulo: the result has the divisor's sign (Python, ONNX Mod fmod=0). */
        MOD,
        EQ, NE, LT, LE, GT, GE,
        /** Logical ops on BOOL. */
        AND, OR, XOR;

        public boolean isComparison() { return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal(); }

        public boolean isLogical() { return this == AND || this == OR || this == XOR; }
    }

    record Unary(UnaryKind kind) implements ElementwiseOp {
        @Override public String mnemonic() { return kind.name().toLowerCase(Locale.ROOT); }

        @Override public Map<String, Object> attrs() { return Map.of(); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            DType d = in.getFirst().dtype();
            if (kind == UnaryKind.NOT) Checks.dtype(this, "x", in.getFirst(), DType.BOOL);
            else if (!(d.isFloatingPoint() || kind.allowsInteger() && Checks.isInteger(d))) {
                throw new IllegalArgumentException(mnemonic() + ": x must be a float type, got " + in.getFirst());
            }
            return in.getFirst();
        }
    }

    record Binary(BinaryKind kind) implements ElementwiseOp {
        @Override public String mnemonic() { return kind.name().toLowerCase(Locale.ROOT); }

        @Override public Map<String, Object> attrs() { return Map.of(); }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 2, 2);
            TensorType a = in.get(0), b = in.get(1);
            Checks.require(this, a.dtype() == b.dtype(), "input dtypes differ: " + a + " vs " + b + " (insert a cast)");
            Checks.require(this, !a.dtype().isQuantized(), "quantised inputs are not elementwise operands: " + a);
            if (kind.isLogical()) Checks.dtype(this, "a", a, DType.BOOL);
            Shape s;
            try {
                s = Shape.broadcast(a.shape(), b.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(mnemonic() + ": " + e.getMessage(), e);
            }
            return new TensorType(kind.isComparison() ? DType.BOOL : a.dtype(), s);
        }
    }

    /** {@code where(cond, a, b)}: a where cond is true, else b; all three broadcast. */
    record Where() implements ElementwiseOp {
        @Override public String mnemonic() { return "where"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 3, 3);
            Checks.dtype(this, "cond", in.get(0), DType.BOOL);
            Checks.require(this, in.get(1).dtype() == in.get(2).dtype(), "branch dtypes differ: " + in.get(1) + " vs " + in.get(2));
            Shape s = Shape.broadcast(Shape.broadcast(in.get(0).shape(), in.get(1).shape()), in.get(2).shape());
            return new TensorType(in.get(1).dtype(), s);
        }
    }

    /**
     * Converts dtype. Float to integer truncates toward zero; to BOOL is {@code x != 0}; to F16/BF16 rounds to
     * nearest even; quantised types are not cast targets (weights stay in their storage type).
     */
    record Cast(DType to) implements ElementwiseOp {
        @Override public String mnemonic() { return "cast"; }

        @Override public TensorType infer(List<TensorType> in) {
            Checks.arity(this, in, 1, 1);
            Checks.require(this, !to.isQuantized(), "cannot cast to quantised type " + to);
            Checks.require(this, !in.getFirst().dtype().isQuantized(), "cannot cast from quantised " + in.getFirst());
            return in.getFirst().withDType(to);
        }
    }
}
