package dev.ingot.compiler.loop;

import java.util.List;

/**
 * Whether a loop marked {@code vector} can run on {@code FloatVector}s: every float memory index must be
 * affine in the loop variable with coefficient 1 (contiguous lanes) or 0 (one address, broadcast), and
 * {@code float(i)} may use the variable with coefficient 0 or 1 (an iota). Strided access (RoPE's
 * adjacent pairs, coefficient 2) would need gathers or shuffles, so such loops run scalar.
 */
public final class Vectorizable {
    private Vectorizable() {}

    /** {@code null} when the loop body (and reduce value, if any) vectorises over {@code var}, else why not. */
    public static String whyNot(String var, List<Stmt> body, Expr value) {
        for (Stmt s : body) {
            String r = switch (s) {
                case Stmt.Store st -> unit(var, st.idx(), "store " + st.buf(), false) != null
                        ? unit(var, st.idx(), "store " + st.buf(), false) : expr(var, st.value());
                case Stmt.Let let -> expr(var, let.value());
                default -> "statement " + s.getClass().getSimpleName() + " in a vector loop";
            };
            if (r != null) return r;
        }
        return value == null ? null : expr(var, value);
    }

    private static String unit(String var, Index idx, String what, boolean allowBroadcast) {
        Integer c = Index.coefficient(idx, var);
        if (c != null && (c == 1 || (allowBroadcast && c == 0))) return null;
        return what + " index " + Printer.index(idx) + " is not contiguous in " + var
                + (c == null ? " (not affine)" : " (stride " + c + ")");
    }

    private static String expr(String var, Expr e) {
        return switch (e) {
            case Expr.Const c -> null;
            case Expr.Ref r -> null;
            case Expr.Load l -> unit(var, l.idx(), "load " + l.buf(), true);
            case Expr.ToFloat t -> unit(var, t.idx(), "float()", true);
            case Expr.Unary u -> expr(var, u.a());
            case Expr.Binary b -> first(expr(var, b.a()), expr(var, b.b()));
            case Expr.Fma f -> first(expr(var, f.a()), first(expr(var, f.b()), expr(var, f.c())));
            case Expr.Select s -> first(first(expr(var, s.a()), expr(var, s.b())),
                    first(expr(var, s.ifTrue()), expr(var, s.ifFalse())));
        };
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
