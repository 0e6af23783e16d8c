package dev.ingot.compiler.loop;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Stable text form of loop IR. Golden tests pin it, and the compile cache hashes it, so any change
 * here is a change of every cache key: bump {@code CompilerVersion} with it.
 *
 * <pre>
 * kernel rms_norm(x: arena, w: weights, out: arena, T: int, eps: float) {
 *   for t in 0..T {
 *     reduce ss = sumsq i in 0..4096 vector {
 *     } of x[(t * 4096) + i]
 *     ...
 * </pre>
 */
public final class Printer {
    private Printer() {}

    public static String print(Kernel k) {
        StringBuilder sb = new StringBuilder();
        sb.append("kernel ").append(k.name()).append('(')
                .append(k.params().stream().map(Printer::param).collect(Collectors.joining(", ")))
                .append(") {\n");
        block(sb, k.body(), 1);
        return sb.append("}\n").toString();
    }

    static String param(Param p) {
        return p.name() + ": " + switch (p) {
            case Param.Arena a -> "arena";
            case Param.Ints a -> "ints";
            case Param.Weights w -> "weights";
            case Param.Scalar s -> s.type().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void block(StringBuilder sb, List<Stmt> stmts, int depth) {
        for (Stmt s : stmts) stmt(sb, s, depth);
    }

    private static void stmt(StringBuilder sb, Stmt s, int depth) {
        String ind = "  ".repeat(depth);
        switch (s) {
            case Stmt.Loop l -> {
                sb.append(ind).append("for ").append(l.var()).append(" in ").append(index(l.lo())).append("..")
                        .append(index(l.hi())).append(l.vector() ? " vector" : "").append(" {\n");
                block(sb, l.body(), depth + 1);
                sb.append(ind).append("}\n");
            }
            case Stmt.Store st -> sb.append(ind).append(st.buf()).append('[').append(index(st.idx())).append("] = ")
                    .append(expr(st.value())).append('\n');
            case Stmt.Let let -> sb.append(ind).append("let ").append(let.name()).append(" = ")
                    .append(expr(let.value())).append('\n');
            case Stmt.Reduce r -> {
                sb.append(ind).append("reduce ").append(r.acc()).append(" = ")
                        .append(r.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(r.var()).append(" in ")
                        .append(index(r.lo())).append("..").append(index(r.hi())).append(r.vector() ? " vector" : "")
                        .append(" {\n");
                block(sb, r.body(), depth + 1);
                sb.append(ind).append("} of ").append(expr(r.value())).append('\n');
            }
            case Stmt.Call c -> sb.append(ind).append("call ").append(c.owner().getName()).append('.')
                    .append(c.method()).append('(')
                    .append(c.args().stream().map(Printer::arg).collect(Collectors.joining(", "))).append(")\n");
        }
    }

    private static String arg(Stmt.Arg a) {
        return switch (a) {
            case Stmt.Arg.Buf b -> "&" + b.buf() + "[" + index(b.offset()) + "]";
            case Stmt.Arg.Int i -> index(i.value());
            case Stmt.Arg.Flt f -> expr(f.value());
            case Stmt.Arg.Lng l -> l.param();
        };
    }

    /** An index; nested binary operations are parenthesised, the outermost is not. */
    public static String index(Index i) {
        return switch (i) {
            case Index.Bin b -> nested(b.a()) + " " + b.op().symbol + " " + nested(b.b());
            default -> nested(i);
        };
    }

    private static String nested(Index i) {
        return switch (i) {
            case Index.Const c -> Integer.toString(c.value());
            case Index.Var v -> v.name();
            case Index.Load l -> l.buf() + "[" + index(l.idx()) + "]";
            case Index.Bin b -> "(" + index(b) + ")";
        };
    }

    public static String expr(Expr e) {
        return switch (e) {
            case Expr.Const c -> Float.toString(c.value());
            case Expr.Load l -> l.buf() + "[" + index(l.idx()) + "]";
            case Expr.Ref r -> r.name();
            case Expr.ToFloat t -> "float(" + index(t.idx()) + ")";
            case Expr.Unary u -> u.op().name().toLowerCase(Locale.ROOT) + "(" + expr(u.a()) + ")";
            case Expr.Binary b -> switch (b.op()) {
                case ADD -> "(" + expr(b.a()) + " + " + expr(b.b()) + ")";
                case SUB -> "(" + expr(b.a()) + " - " + expr(b.b()) + ")";
                case MUL -> "(" + expr(b.a()) + " * " + expr(b.b()) + ")";
                case DIV -> "(" + expr(b.a()) + " / " + expr(b.b()) + ")";
                case MAX -> "max(" + expr(b.a()) + ", " + expr(b.b()) + ")";
                case MIN -> "min(" + expr(b.a()) + ", " + expr(b.b()) + ")";
            };
            case Expr.Fma f -> "fma(" + expr(f.a()) + ", " + expr(f.b()) + ", " + expr(f.c()) + ")";
            case Expr.Select s -> "select(" + expr(s.a()) + " " + cmp(s.cmp()) + " " + expr(s.b()) + ", "
                    + expr(s.ifTrue()) + ", " + expr(s.ifFalse()) + ")";
        };
    }

    private static String cmp(Expr.Cmp c) {
        return switch (c) {
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            case EQ -> "==";
            case NE -> "!=";
        };
    }
}
