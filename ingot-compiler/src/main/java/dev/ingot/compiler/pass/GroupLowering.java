package dev.ingot.compiler.pass;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;
import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ReduceOp;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.ingot.compiler.loop.Expr.UOp;

/**
 * Lowers a {@link KernelGroup} to one loop IR kernel:
 * <pre>
 *   for t in 0..R {                  // R = product of leading dims, n = last dim
 *     for i in 0..n vector { stores of values that must exist in memory }
 *     reduce ... (rms_norm: sum of squares; softmax: max, then exp-sum storing exp)
 *     let inv = ...
 *     ...
 *   }
 * </pre>
 * Elementwise values are expressions inlined into their consumers. A value is stored when it leaves the
 * group, when two members read it (no recomputation of shared subtrees), or when it is a softmax. Stores
 * between reductions share one vector loop; a store of an rms_norm's input that is the last in that loop
 * moves into the norm's reduce body (residual add + sum of squares in one pass).
 */
public final class GroupLowering {
    private final KernelGroup group;
    private final Index rows, n;
    private static final Index T = Index.v("t"), I = Index.v("i");
    /** Kernel parameter name of shape symbol {@code X}: {@code d_X}. */
    static final String SYMBOL_PREFIX = "d_";
    private final Index ti;
    private final Map<Value, String> params = new LinkedHashMap<>();
    private final Map<String, Param> paramDecl = new LinkedHashMap<>();
    private final Set<String> symbols = new TreeSet<>();
    private final Set<Value> stored = new HashSet<>(), mustStore = new HashSet<>();
    private final Map<Value, Node> members = new HashMap<>();
    private final List<Stmt> rowBody = new ArrayList<>();
    private final List<Stmt.Store> pending = new ArrayList<>();
    private final List<Value> pendingValues = new ArrayList<>();
    private final List<Value> temps = new ArrayList<>();

    private GroupLowering(KernelGroup g) {
        this.group = g;
        Shape s = g.rowShape();
        Index r = Index.of(1);
        for (int d = 0; d < s.rank() - 1; d++) r = Index.mul(r, dim(s.dim(d)));
        this.rows = r;
        this.n = dim(s.last());
        this.ti = Index.add(Index.mul(T, n), I);
    }

    public static GroupKernel lower(KernelGroup g) {
        return new GroupLowering(g).run();
    }

    private Index dim(Dim d) {
        if (d.isConstant()) return Index.of(Math.toIntExact(d.constant()));
        // prefixed so a symbol never collides with loop variables (t, i) or value parameters (v12)
        String sym = SYMBOL_PREFIX + d.symbols().iterator().next();
        symbols.add(sym);
        return Index.v(sym);
    }

    private GroupKernel run() {
        Map<Value, Integer> memberUses = new HashMap<>();
        for (Node node : group.nodes()) {
            members.put(node.output(), node);
            for (Value v : node.inputs()) memberUses.merge(v, 1, Integer::sum);
        }
        for (Node node : group.nodes()) {
            Value v = node.output();
            if (group.outputs().contains(v) || memberUses.getOrDefault(v, 0) >= 2 || node.op() instanceof ReduceOp.Softmax) {
                mustStore.add(v);
            }
        }
        for (Value v : group.inputs()) if (!isScalarConstant(v)) param(v);
        for (Value v : group.outputs()) param(v);
        for (Node node : group.nodes()) {
            switch (node.op()) {
                case LlmOp.RmsNorm r -> rmsNorm(node, r.eps());
                case ReduceOp.Softmax s -> softmax(node);
                default -> {
                    if (mustStore.contains(node.output())) store(node.output(), value(node.output()));
                }
            }
        }
        flush();
        List<Param> ps = new ArrayList<>(paramDecl.values());
        List<Value> values = new ArrayList<>(params.keySet());
        for (String s : symbols) {
            ps.add(new Param.Scalar(s, Param.Type.INT));
            values.add(null);
        }
        Kernel k = new Kernel("group" + group.id(), ps, List.of(new Stmt.Loop("t", Index.of(0), rows, false, rowBody)));
        return new GroupKernel(group, k, values, temps);
    }

    /** Declares the parameter for a value: weights/constants as segments, everything else in the arena. */
    private String param(Value v) {
        String name = params.get(v);
        if (name != null) return name;
        name = "v" + v.id();
        params.put(v, name);
        boolean segment = v.definingOp() instanceof SourceOp.Weight || v.definingOp() instanceof SourceOp.Constant;
        paramDecl.put(name, segment ? new Param.Weights(name) : new Param.Arena(name));
        if (members.containsKey(v) && !group.outputs().contains(v)) temps.add(v);
        return name;
    }

    private void store(Value v, Expr e) {
        pending.add(new Stmt.Store(param(v), ti, e));
        pendingValues.add(v);
        stored.add(v);
    }

    private void flush() {
        if (pending.isEmpty()) return;
        rowBody.add(new Stmt.Loop("i", Index.of(0), n, true, List.copyOf(pending)));
        pending.clear();
        pendingValues.clear();
    }

    /** The expression for {@code v} at element (t, i), relative to the row shape. */
    private Expr value(Value v) {
        Node node = members.get(v);
        if (node == null || stored.contains(v)) {
            if (isScalarConstant(v)) {
                return Expr.c((float) SegmentReader.getDouble(v.dtype(), ((SourceOp.Constant) v.definingOp()).data(), 0));
            }
            Index idx = switch (RowForm.of(v.shape(), group.rowShape())) {
                case FULL -> ti;
                case COL -> I;
                case ROW -> T;
                case SCALAR -> Index.of(0);
            };
            return Expr.load(param(v), idx);
        }
        return switch (node.op()) {
            case ElementwiseOp.Unary u -> unary(u.kind(), value(node.input(0)));
            case ElementwiseOp.Binary b -> {
                Expr x = value(node.input(0)), y = value(node.input(1));
                yield switch (b.kind()) {
                    case ADD -> Expr.add(x, y);
                    case SUB -> Expr.sub(x, y);
                    case MUL -> Expr.mul(x, y);
                    case DIV -> Expr.div(x, y);
                    case MAX -> Expr.max(x, y);
                    case MIN -> new Expr.Binary(Expr.BOp.MIN, x, y);
                    default -> throw new IllegalStateException("not fusible: " + b);
                };
            }
            case LlmOp.RmsNorm r -> Expr.mul(Expr.mul(value(node.input(0)), Expr.ref("inv" + v.id())), value(node.input(1)));
            default -> throw new IllegalStateException("not an expression: " + node.op());
        };
    }

    /** A one-element constant: inlined as a literal, no parameter. */
    private static boolean isScalarConstant(Value v) {
        return v.definingOp() instanceof SourceOp.Constant && v.shape().numel().equals(Dim.of(1));
    }

    private static Expr unary(ElementwiseOp.UnaryKind k, Expr x) {
        return switch (k) {
            case NEG -> Expr.un(UOp.NEG, x);
            case ABS -> Expr.un(UOp.ABS, x);
            case EXP -> Expr.un(UOp.EXP, x);
            case SQRT -> Expr.un(UOp.SQRT, x);
            case RSQRT -> Expr.un(UOp.RSQRT, x);
            case ERF -> Expr.un(UOp.ERF, x);
            case TANH -> Expr.un(UOp.TANH, x);
            case SIGMOID -> Expr.un(UOp.SIGMOID, x);
            case RELU -> Expr.max(x, Expr.c(0f));
            case RECIPROCAL -> Expr.un(UOp.RECIP, x);
            case SIN -> Expr.un(UOp.SIN, x);
            case COS -> Expr.un(UOp.COS, x);
            case SILU -> Expr.un(UOp.SILU, x);
            case GELU_TANH -> Expr.un(UOp.GELU_TANH, x);
            case GELU_ERF -> Expr.un(UOp.GELU_ERF, x);
            default -> throw new IllegalStateException("not fusible: " + k);
        };
    }

    /** Sum of squares (fused with the pending store of x when that store is the last one), then {@code inv}. */
    private void rmsNorm(Node node, float eps) {
        Value x = node.input(0);
        int id = node.output().id();
        List<Stmt> body = List.of();
        Expr sq;
        if (!pendingValues.isEmpty() && pendingValues.getLast() == x) {
            Stmt.Store st = pending.removeLast();
            pendingValues.removeLast();
            flush();
            body = List.of(new Stmt.Let("s" + id, st.value()), new Stmt.Store(st.buf(), st.idx(), Expr.ref("s" + id)));
            sq = Expr.ref("s" + id);
        } else {
            flush();
            sq = value(x);
        }
        rowBody.add(new Stmt.Reduce("ss" + id, Stmt.Kind.SUMSQ, "i", Index.of(0), n, true, body, sq));
        rowBody.add(new Stmt.Let("inv" + id, Expr.un(UOp.RSQRT,
                Expr.add(Expr.div(Expr.ref("ss" + id), new Expr.ToFloat(n)), Expr.c(eps)))));
        if (mustStore.contains(node.output())) store(node.output(), value(node.output()));
    }

    /** Max pass, exp-and-sum pass storing exp into the output, then a scaling store (pending). */
    private void softmax(Node node) {
        flush();
        int id = node.output().id();
        Expr x = value(node.input(0));
        String out = param(node.output());
        rowBody.add(new Stmt.Reduce("m" + id, Stmt.Kind.MAX, "i", Index.of(0), n, true, List.of(), x));
        rowBody.add(new Stmt.Reduce("sum" + id, Stmt.Kind.SUM, "i", Index.of(0), n, true,
                List.of(new Stmt.Let("e" + id, Expr.un(UOp.EXP, Expr.sub(x, Expr.ref("m" + id)))),
                        new Stmt.Store(out, ti, Expr.ref("e" + id))),
                Expr.ref("e" + id)));
        rowBody.add(new Stmt.Let("r" + id, Expr.un(UOp.RECIP, Expr.ref("sum" + id))));
        store(node.output(), Expr.mul(Expr.load(out, ti), Expr.ref("r" + id)));
    }
}
