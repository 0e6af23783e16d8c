package dev.ingot.compiler.graphexec;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a generated fused kernel can run on a range of its rows, and how: the kernel must be one outer loop
 * {@code for t in 0 .. s1 * s2 * ...} (a product of symbol parameters) whose body addresses every arena buffer at
 * {@code c_buf * t + rest}, with {@code rest}, every loop bound, weights index and int-to-float conversion free of
 * {@code t} and of the bound's symbols. Rows {@code [r0, r1)} then run as the same kernel with each arena offset
 * moved by {@code r0 * c_buf}, the first bound symbol set to {@code r1 - r0} and the others to 1. Anything else
 * (calls, indices that are not affine in t, buffers addressed with two different row strides) is not split.
 *
 * @param rowStride per kernel parameter, {@code c_buf} for arena parameters, 0 for the others
 * @param boundSymbols kernel parameter indices of the symbols whose product is the row count
 * @param rowFloats the largest row stride (elements written or read per row), to size chunks
 */
record RowSplit(int[] rowStride, int[] boundSymbols, int rowFloats) {

    /** The split of {@code k}, or null when its rows cannot be run separately. */
    static RowSplit of(Kernel k) {
        if (k.body().size() != 1 || !(k.body().getFirst() instanceof Stmt.Loop outer) || outer.vector()
                || !(outer.lo() instanceof Index.Const(int lo)) || lo != 0) return null;
        List<String> syms = new ArrayList<>();
        if (!product(outer.hi(), syms)) return null;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < k.params().size(); i++) index.put(k.params().get(i).name(), i);
        for (String s : syms) {
            Integer i = index.get(s);
            if (i == null || !(k.params().get(i) instanceof Param.Scalar sc) || sc.type() != Param.Type.INT) return null;
        }
        Walk w = new Walk(outer.var(), syms, k);
        for (Stmt s : outer.body()) if (!w.stmt(s)) return null;
        int[] stride = new int[k.params().size()];
        int max = 0;
        for (var e : w.strides.entrySet()) {
            stride[index.get(e.getKey())] = e.getValue();
            max = Math.max(max, e.getValue());
        }
        return new RowSplit(stride, syms.stream().mapToInt(index::get).toArray(), max);
    }

    /** Whether {@code i} is a product of distinct variables, collected into {@code out}. */
    private static boolean product(Index i, List<String> out) {
        return switch (i) {
            case Index.Var(String n) -> !out.contains(n) && out.add(n);
            case Index.Bin(Index.Op op, Index a, Index b) -> op == Index.Op.MUL && product(a, out) && product(b, out);
            default -> false;
        };
    }

    /** Checks the outer loop's body and records each arena buffer's coefficient of t. */
    private static final class Walk {
        final String t;
        final List<String> syms;
        final Kernel k;
        final Map<String, Integer> strides = new HashMap<>();

        Walk(String t, List<String> syms, Kernel k) {
            this.t = t;
            this.syms = syms;
            this.k = k;
        }

        /** Free of t and of the bound symbols. */
        boolean free(Index i) {
            Integer c = Index.coefficient(i, t);
            if (c == null || c != 0) return false;
            for (String s : syms) {
                Integer cs = Index.coefficient(i, s);
                if (cs == null || cs != 0) return false;
            }
            return true;
        }

        /** An access of {@code buf}: arena buffers may move with t (one stride per buffer), the others may not. */
        boolean access(String buf, Index i) {
            boolean arena = k.param(buf).map(p -> p instanceof Param.Arena).orElse(false);
            Integer c = Index.coefficient(i, t);
            if (c == null || c < 0 || (!arena && c != 0)) return false;
            Index rest = Index.sub(i, Index.mul(Index.of(c), Index.v(t)));
            for (String s : syms) {
                Integer cs = Index.coefficient(rest, s);
                if (cs == null || cs != 0) return false;
            }
            if (!arena) return true;
            Integer prev = strides.putIfAbsent(buf, c);
            return prev == null || prev.equals(c);
        }

        boolean stmt(Stmt s) {
            return switch (s) {
                case Stmt.Loop l -> free(l.lo()) && free(l.hi()) && l.body().stream().allMatch(this::stmt);
                case Stmt.Store st -> access(st.buf(), st.idx()) && expr(st.value());
                case Stmt.Let let -> expr(let.value());
                case Stmt.Reduce r -> free(r.lo()) && free(r.hi()) && r.body().stream().allMatch(this::stmt) && expr(r.value());
                case Stmt.Call c -> false;
            };
        }

        boolean expr(Expr e) {
            return switch (e) {
                case Expr.Const c -> true;
                case Expr.Ref r -> true;
                case Expr.Load l -> access(l.buf(), l.idx());
                case Expr.ToFloat f -> free(f.idx());
                case Expr.Unary u -> expr(u.a());
                case Expr.Binary b -> expr(b.a()) && expr(b.b());
                case Expr.Fma f -> expr(f.a()) && expr(f.b()) && expr(f.c());
                case Expr.Select x -> expr(x.a()) && expr(x.b()) && expr(x.ifTrue()) && expr(x.ifFalse());
            };
        }
    }
}
