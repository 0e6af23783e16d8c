package dev.ingot.compiler.loop;

/** Float-valued expressions. In a vector loop every node is a {@code FloatVector} of the preferred species. */
public sealed interface Expr {
    record Const(float value) implements Expr {}

    /** {@code buf[idx]} of an {@link Param.Arena} or {@link Param.Weights} buffer. */
    record Load(String buf, Index idx) implements Expr {}

    /** A float scalar parameter, a {@link Stmt.Let} or a {@link Stmt.Reduce} accumulator. */
    record Ref(String name) implements Expr {}

    /** An int index converted to float (positions in RoPE, {@code 1/n} in norms). */
    record ToFloat(Index idx) implements Expr {}

    record Unary(UOp op, Expr a) implements Expr {}

    record Binary(BOp op, Expr a, Expr b) implements Expr {}

    /** {@code a * b + c}, fused (one rounding) in both the vector and the scalar path. */
    record Fma(Expr a, Expr b, Expr c) implements Expr {}

    /** {@code (a cmp b) ? ifTrue : ifFalse}; comparisons with NaN are false except {@code NE}. */
    record Select(Cmp cmp, Expr a, Expr b, Expr ifTrue, Expr ifFalse) implements Expr {}

    /** GELU_TANH and GELU_ERF are whole activations (one call, so their input expression is evaluated once). */
    enum UOp { NEG, ABS, SQRT, RSQRT, RECIP, EXP, TANH, ERF, SIGMOID, SILU, COS, SIN, GELU_TANH, GELU_ERF }

    enum BOp { ADD, SUB, MUL, DIV, MAX, MIN }

    enum Cmp { LT, LE, GT, GE, EQ, NE }

    static Expr c(float v) { return new Const(v); }

    static Expr ref(String name) { return new Ref(name); }

    static Expr load(String buf, Index idx) { return new Load(buf, idx); }

    static Expr add(Expr a, Expr b) { return new Binary(BOp.ADD, a, b); }

    static Expr sub(Expr a, Expr b) { return new Binary(BOp.SUB, a, b); }

    static Expr mul(Expr a, Expr b) { return new Binary(BOp.MUL, a, b); }

    static Expr div(Expr a, Expr b) { return new Binary(BOp.DIV, a, b); }

    static Expr max(Expr a, Expr b) { return new Binary(BOp.MAX, a, b); }

    static Expr un(UOp op, Expr a) { return new Unary(op, a); }

    static Expr fma(Expr a, Expr b, Expr c) { return new Fma(a, b, c); }
}
