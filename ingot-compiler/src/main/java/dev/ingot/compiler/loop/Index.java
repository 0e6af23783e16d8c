package dev.ingot.compiler.loop;

/**
 * Integer index arithmetic: loop variables, int scalar parameters, constants and loads from
 * {@link Param.Ints} buffers. The factory methods fold constants, so a kernel whose dimensions were
 * bound by {@link Rewrites#bind} carries plain numbers into code generation.
 */
public sealed interface Index {
    record Const(int value) implements Index {}

    /** A loop variable or an int {@link Param.Scalar}. */
    record Var(String name) implements Index {}

    record Bin(Op op, Index a, Index b) implements Index {}

    /** {@code buf[idx]} of an {@link Param.Ints} buffer. */
    record Load(String buf, Index idx) implements Index {}

    enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), REM("%");
        final String symbol;
        Op(String symbol) { this.symbol = symbol; }
    }

    static Index of(int c) { return new Const(c); }

    static Index v(String name) { return new Var(name); }

    static Index add(Index a, Index b) { return bin(Op.ADD, a, b); }

    static Index sub(Index a, Index b) { return bin(Op.SUB, a, b); }

    static Index mul(Index a, Index b) { return bin(Op.MUL, a, b); }

    static Index div(Index a, Index b) { return bin(Op.DIV, a, b); }

    /** Builds {@code a op b}, folding constants and the identities x+0, x*1, x*0, x/1. */
    static Index bin(Op op, Index a, Index b) {
        if (a instanceof Const(int x) && b instanceof Const(int y)) {
            return new Const(switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case REM -> x % y;
            });
        }
        switch (op) {
            case ADD -> {
                if (isConst(a, 0)) return b;
                if (isConst(b, 0)) return a;
            }
            case SUB -> {
                if (isConst(b, 0)) return a;
            }
            case MUL -> {
                if (isConst(a, 0) || isConst(b, 0)) return new Const(0);
                if (isConst(a, 1)) return b;
                if (isConst(b, 1)) return a;
            }
            case DIV -> {
                if (isConst(b, 1)) return a;
            }
            case REM -> { }
        }
        return new Bin(op, a, b);
    }

    private static boolean isConst(Index i, int v) {
        return i instanceof Const(int x) && x == v;
    }

    /**
     * Coefficient of {@code var} if {@code idx} is affine in it ({@code idx = c*var + rest}, rest free of
     * var), else {@code null}. Used to decide whether a vector loop can load/store contiguously.
     */
    static Integer coefficient(Index idx, String var) {
        return switch (idx) {
            case Const c -> 0;
            case Var(String n) -> n.equals(var) ? 1 : 0;
            case Load(String buf, Index i) -> {
                Integer ci = coefficient(i, var);
                yield ci != null && ci == 0 ? 0 : null;
            }
            case Bin(Op op, Index a, Index b) -> {
                Integer ca = coefficient(a, var), cb = coefficient(b, var);
                if (ca == null || cb == null) yield null;
                yield switch (op) {
                    case ADD -> ca + cb;
                    case SUB -> ca - cb;
                    case MUL -> ca == 0 && cb == 0 ? Integer.valueOf(0)
                            : ca == 0 && a instanceof Const(int k) ? Integer.valueOf(k * cb)
                            : cb == 0 && b instanceof Const(int k) ? Integer.valueOf(k * ca) : null;
                    case DIV, REM -> ca == 0 && cb == 0 ? Integer.valueOf(0) : null;
                };
            }
        };
    }
}
