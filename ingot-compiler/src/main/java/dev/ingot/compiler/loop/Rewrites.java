package dev.ingot.compiler.loop;

import java.util.List;
import java.util.Map;

/** Whole-kernel rewrites on loop IR. */
public final class Rewrites {
    private Rewrites() {}

    /**
     * Specialises int scalar parameters to constants: the parameters disappear from the signature and
     * every index using them is folded ({@code t * 4096 + i} instead of {@code t * n + i}), so code
     * generation sees constant trip counts. This is how a shape bucket's known dimensions reach the code.
     */
    public static Kernel bind(Kernel k, Map<String, Integer> values) {
        for (String name : values.keySet()) {
            if (!(k.param(name).orElse(null) instanceof Param.Scalar s && s.type() == Param.Type.INT)) {
                throw new IllegalArgumentException("kernel " + k.name() + " has no int parameter " + name);
            }
        }
        List<Param> params = k.params().stream().filter(p -> !values.containsKey(p.name())).toList();
        return new Kernel(k.name(), params, block(k.body(), values));
    }

    private static List<Stmt> block(List<Stmt> stmts, Map<String, Integer> v) {
        return stmts.stream().map(s -> stmt(s, v)).toList();
    }

    private static Stmt stmt(Stmt s, Map<String, Integer> v) {
        return switch (s) {
            case Stmt.Loop l -> new Stmt.Loop(l.var(), index(l.lo(), v), index(l.hi(), v), l.vector(), block(l.body(), v));
            case Stmt.Store st -> new Stmt.Store(st.buf(), index(st.idx(), v), expr(st.value(), v));
            case Stmt.Let let -> new Stmt.Let(let.name(), expr(let.value(), v));
            case Stmt.Reduce r -> new Stmt.Reduce(r.acc(), r.kind(), r.var(), index(r.lo(), v), index(r.hi(), v),
                    r.vector(), block(r.body(), v), expr(r.value(), v));
            case Stmt.Call c -> new Stmt.Call(c.owner(), c.method(), c.args().stream().map(a -> arg(a, v)).toList());
        };
    }

    private static Stmt.Arg arg(Stmt.Arg a, Map<String, Integer> v) {
        return switch (a) {
            case Stmt.Arg.Buf b -> new Stmt.Arg.Buf(b.buf(), index(b.offset(), v));
            case Stmt.Arg.Int i -> new Stmt.Arg.Int(index(i.value(), v));
            case Stmt.Arg.Flt f -> new Stmt.Arg.Flt(expr(f.value(), v));
            case Stmt.Arg.Lng l -> l;
        };
    }

    static Index index(Index i, Map<String, Integer> v) {
        return switch (i) {
            case Index.Const c -> c;
            case Index.Var var -> v.containsKey(var.name()) ? new Index.Const(v.get(var.name())) : var;
            case Index.Bin b -> Index.bin(b.op(), index(b.a(), v), index(b.b(), v));
            case Index.Load l -> new Index.Load(l.buf(), index(l.idx(), v));
        };
    }

    static Expr expr(Expr e, Map<String, Integer> v) {
        return switch (e) {
            case Expr.Const c -> c;
            case Expr.Ref r -> r;
            case Expr.Load l -> new Expr.Load(l.buf(), index(l.idx(), v));
            case Expr.ToFloat t -> {
                Index i = index(t.idx(), v);
                yield i instanceof Index.Const(int c) ? new Expr.Const(c) : new Expr.ToFloat(i);
            }
            case Expr.Unary u -> new Expr.Unary(u.op(), expr(u.a(), v));
            case Expr.Binary b -> new Expr.Binary(b.op(), expr(b.a(), v), expr(b.b(), v));
            case Expr.Fma f -> new Expr.Fma(expr(f.a(), v), expr(f.b(), v), expr(f.c(), v));
            case Expr.Select s -> new Expr.Select(s.cmp(), expr(s.a(), v), expr(s.b(), v),
                    expr(s.ifTrue(), v), expr(s.ifFalse(), v));
        };
    }
}
