package dev.ingot.compiler.loop;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a kernel before code generation: every name resolves in scope and to the right kind,
 * stores go only to arenas, vector loops and reduce bodies hold only lets and stores, names are
 * never redefined (so generated locals need no renaming), and library calls resolve.
 */
public final class Verifier {
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Param> params = new HashMap<>();

    private enum Sym { INT, FLOAT }

    private Verifier() {}

    /** Verifies {@code k}; throws {@link IllegalArgumentException} listing every problem. */
    public static Kernel verify(Kernel k) {
        List<String> errs = check(k);
        if (!errs.isEmpty()) {
            throw new IllegalArgumentException("loop IR of kernel " + k.name() + " is invalid:\n  "
                    + String.join("\n  ", errs) + "\n" + Printer.print(k));
        }
        return k;
    }

    /** All problems found in {@code k}; empty when valid. */
    public static List<String> check(Kernel k) {
        Verifier v = new Verifier();
        if (!isIdentifier(k.name())) v.errors.add("kernel name '" + k.name() + "' is not a JVM identifier");
        Map<String, Sym> scope = new HashMap<>();
        for (Param p : k.params()) {
            if (!isIdentifier(p.name())) v.errors.add("parameter name '" + p.name() + "' is not an identifier");
            if (v.params.put(p.name(), p) != null) v.errors.add("duplicate parameter " + p.name());
            if (p instanceof Param.Scalar s && s.type() != Param.Type.LONG) {
                scope.put(p.name(), s.type() == Param.Type.INT ? Sym.INT : Sym.FLOAT);
            }
        }
        v.block(k.body(), scope, false);
        return v.errors;
    }

    private void block(List<Stmt> stmts, Map<String, Sym> outer, boolean restricted) {
        Map<String, Sym> scope = new HashMap<>(outer);
        for (Stmt s : stmts) {
            if (restricted && !(s instanceof Stmt.Let || s instanceof Stmt.Store)) {
                errors.add("only let and store allowed in a vector loop or reduce body: " + s.getClass().getSimpleName());
                continue;
            }
            switch (s) {
                case Stmt.Loop l -> {
                    index(l.lo(), scope);
                    index(l.hi(), scope);
                    Map<String, Sym> inner = new HashMap<>(scope);
                    define(l.var(), Sym.INT, inner);
                    block(l.body(), inner, l.vector());
                }
                case Stmt.Store st -> {
                    if (!(params.get(st.buf()) instanceof Param.Arena)) errors.add("store to non-arena buffer " + st.buf());
                    index(st.idx(), scope);
                    expr(st.value(), scope);
                }
                case Stmt.Let let -> {
                    expr(let.value(), scope);
                    define(let.name(), Sym.FLOAT, scope);
                }
                case Stmt.Reduce r -> {
                    index(r.lo(), scope);
                    index(r.hi(), scope);
                    Map<String, Sym> inner = new HashMap<>(scope);
                    define(r.var(), Sym.INT, inner);
                    block(r.body(), inner, true);
                    // the value sees the body's lets: re-walk them into a scope for it
                    for (Stmt b : r.body()) if (b instanceof Stmt.Let let) inner.put(let.name(), Sym.FLOAT);
                    expr(r.value(), inner);
                    define(r.acc(), Sym.FLOAT, scope);
                }
                case Stmt.Call c -> call(c, scope);
            }
        }
    }

    private void define(String name, Sym sym, Map<String, Sym> scope) {
        if (!isIdentifier(name)) errors.add("name '" + name + "' is not an identifier");
        if (scope.containsKey(name) || params.containsKey(name)) errors.add("name " + name + " redefined");
        scope.put(name, sym);
    }

    private void index(Index i, Map<String, Sym> scope) {
        switch (i) {
            case Index.Const c -> { }
            case Index.Var v -> {
                if (scope.get(v.name()) != Sym.INT) errors.add("index variable " + v.name() + " is not an int in scope");
            }
            case Index.Bin b -> {
                index(b.a(), scope);
                index(b.b(), scope);
            }
            case Index.Load l -> {
                if (!(params.get(l.buf()) instanceof Param.Ints)) errors.add("int load from non-ints buffer " + l.buf());
                index(l.idx(), scope);
            }
        }
    }

    private void expr(Expr e, Map<String, Sym> scope) {
        switch (e) {
            case Expr.Const c -> { }
            case Expr.Load l -> {
                Param p = params.get(l.buf());
                if (p == null || !Param.isFloatBuffer(p)) errors.add("float load from unknown or non-float buffer " + l.buf());
                index(l.idx(), scope);
            }
            case Expr.Ref r -> {
                if (scope.get(r.name()) != Sym.FLOAT) errors.add("float " + r.name() + " is not in scope");
            }
            case Expr.ToFloat t -> index(t.idx(), scope);
            case Expr.Unary u -> expr(u.a(), scope);
            case Expr.Binary b -> {
                expr(b.a(), scope);
                expr(b.b(), scope);
            }
            case Expr.Fma f -> {
                expr(f.a(), scope);
                expr(f.b(), scope);
                expr(f.c(), scope);
            }
            case Expr.Select s -> {
                expr(s.a(), scope);
                expr(s.b(), scope);
                expr(s.ifTrue(), scope);
                expr(s.ifFalse(), scope);
            }
        }
    }

    private void call(Stmt.Call c, Map<String, Sym> scope) {
        List<Class<?>> types = new ArrayList<>();
        for (Stmt.Arg a : c.args()) {
            switch (a) {
                case Stmt.Arg.Buf b -> {
                    index(b.offset(), scope);
                    switch (params.get(b.buf())) {
                        case Param.Arena p -> { types.add(float[].class); types.add(int.class); }
                        case Param.Ints p -> { types.add(int[].class); types.add(int.class); }
                        case Param.Weights p -> {
                            types.add(MemorySegment.class);
                            if (!(b.offset() instanceof Index.Const(int off) && off == 0)) {
                                errors.add("weights argument " + b.buf() + " must have offset 0");
                            }
                        }
                        case null, default -> errors.add("call argument " + b.buf() + " is not a buffer");
                    }
                }
                case Stmt.Arg.Int i -> { index(i.value(), scope); types.add(int.class); }
                case Stmt.Arg.Flt f -> { expr(f.value(), scope); types.add(float.class); }
                case Stmt.Arg.Lng l -> {
                    if (!(params.get(l.param()) instanceof Param.Scalar s && s.type() == Param.Type.LONG)) {
                        errors.add("long argument " + l.param() + " is not a long parameter");
                    }
                    types.add(long.class);
                }
            }
        }
        if (resolve(c, types) == null) {
            errors.add("no public static " + c.owner().getName() + "." + c.method() + types);
        }
    }

    /** The public static void method a call resolves to, or null. */
    public static Method resolve(Stmt.Call c, List<Class<?>> types) {
        try {
            Method m = c.owner().getMethod(c.method(), types.toArray(Class<?>[]::new));
            return Modifier.isStatic(m.getModifiers()) && m.getReturnType() == void.class ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) if (!Character.isJavaIdentifierPart(s.charAt(i))) return false;
        return true;
    }
}
