package dev.ingot.compiler.loop;

import java.util.List;
import java.util.function.Predicate;

/**
 * Whether a loop marked {@code vector} can run on {@code FloatVector}s: every float memory index must be
 * affine in the loop variable with coefficient 1 (contiguous lanes) or 0 (one address, broadcast), and
 * {@code float(i)} may use the variable with coefficient 0 or 1 (an iota). A constant stride of 2..8 (RoPE's
 * adjacent pairs) is allowed on buffers the caller says can gather/scatter (float[] arenas: the Vector API
 * gathers from arrays with an index map, not from segments); otherwise such loops run scalar.
 */
public final class Vectorizable {
    private Vectorizable() {}

    /** Largest stride served by gather/scatter. */
    public static final int MAX_STRIDE = 8;

    /** {@code null} when the loop body (and reduce value, if any) vectorises over {@code var}, else why not. */
    public static String whyNot(String var, List<Stmt> body, Expr value) {
        return whyNot(var, body, value, b -> false);
    }

    /** As {@link #whyNot(String, List, Expr)}, with strided access allowed on {@code gatherable} buffers. */
    public static String whyNot(String var, List<Stmt> body, Expr value, Predicate<String> gatherable) {
        for (Stmt s : body) {
            String r = switch (s) {
                case Stmt.Store st -> first(unit(var, st.idx(), "store " + st.buf(), false, gatherable.test(st.buf())),
                        expr(var, st.value(), gatherable));
                case Stmt.Let let -> expr(var, let.value(), gatherable);
                default -> "statement " + s.getClass().getSimpleName() + " in a vector loop";
            };
            if (r != null) return r;
        }
        return value == null ? null : expr(var, value, gatherable);
    }

    /** The stride of {@code idx} in {@code var} when it needs a gather/scatter (2..MAX_STRIDE), else 0. */
    public static int gatherStride(Index idx, String var) {
        Integer c = Index.coefficient(idx, var);
        return c != null && c >= 2 && c <= MAX_STRIDE ? c : 0;
    }

    private static String unit(String var, Index idx, String what, boolean allowBroadcast, boolean gather) {
        Integer c = Index.coefficient(idx, var);
        if (c != null && (c == 1 || (allowBroadcast && c == 0))) return null;
        if (gather && gatherStride(idx, var) != 0) return null;
        return what + " index " + Printer.index(idx) + " is not contiguous in " + var
                + (c == null ? " (not affine)" : " (stride " + c + ")");
    }

    private static String expr(String var, Expr e, Predicate<String> g) {
        return switch (e) {
            case Expr.Const c -> null;
            case Expr.Ref r -> null;
            case Expr.Load l -> unit(var, l.idx(), "load " + l.buf(), true, g.test(l.buf()));
            case Expr.ToFloat t -> unit(var, t.idx(), "float()", true, false);
            case Expr.Unary u -> expr(var, u.a(), g);
            case Expr.Binary b -> first(expr(var, b.a(), g), expr(var, b.b(), g));
            case Expr.Fma f -> first(expr(var, f.a(), g), first(expr(var, f.b(), g), expr(var, f.c(), g)));
            case Expr.Select s -> first(first(expr(var, s.a(), g), expr(var, s.b(), g)),
                    first(expr(var, s.ifTrue(), g), expr(var, s.ifFalse(), g)));
        };
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
