package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Stmt;
import dev.ingot.compiler.loop.Verifier;
import dev.ingot.compiler.loop.Vectorizable;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits loop IR statements into one method. In vector mode a {@code vector} loop becomes
 * <pre>
 *   i = lo; vEnd = lo + ((hi - lo) &amp; -VL)
 *   while (i &lt; vEnd) { body on FloatVectors at lanes i..i+VL-1; i += VL }
 *   while (i &lt; hi)   { body on floats at i; i++ }          // scalar tail
 * </pre>
 * and a vector reduce keeps a {@code FloatVector} accumulator, folded with {@code reduceLanes} before
 * the tail. In scalar mode (the twin) every loop is the scalar form.
 *
 * <p>Splitting: with {@code depth > 0}, loops and reduces of a block are outlined into their own static
 * methods (in-scope ints and floats become arguments; a reduce returns its accumulator), each level of
 * depth reaching one level deeper. Vector loop bodies are never split.
 */
final class MethodEmitter {
    /** Independent vector accumulators per reduce. */
    static final int REDUCE_UNROLL = 4;
    private final KernelClassWriter w;
    private final CodeBuilder cb;
    private final boolean vectorMode;

    MethodEmitter(KernelClassWriter w, CodeBuilder cb, boolean vectorMode) {
        this.w = w;
        this.cb = cb;
        this.vectorMode = vectorMode;
    }

    /** Emits {@code stmts}; names they define are added to {@code env} (the caller copies for a new scope). */
    void block(List<Stmt> stmts, Map<String, Binding> env, int depth, String lane) {
        for (Stmt s : stmts) {
            if (depth > 0 && lane == null && (s instanceof Stmt.Loop || s instanceof Stmt.Reduce)) {
                outlineCall(s, env, depth);
            } else {
                stmt(s, env, depth, lane);
            }
        }
    }

    private void outlineCall(Stmt s, Map<String, Binding> env, int depth) {
        List<Map.Entry<String, Binding>> extras = new ArrayList<>();
        for (Map.Entry<String, Binding> e : env.entrySet()) {
            if (!e.getValue().param() && (e.getValue() instanceof Binding.IntLocal || e.getValue() instanceof Binding.FloatLocal)) {
                extras.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        String defined = s instanceof Stmt.Reduce r ? r.acc() : null;
        MethodTypeDesc type = w.signature(extras, defined != null ? ConstantDescs.CD_float : ConstantDescs.CD_void);
        String name = w.outline(s, extras, vectorMode, depth - 1, defined);
        for (Binding b : env.values()) if (b.param()) loadParam(b);
        for (Map.Entry<String, Binding> e : extras) cb.loadLocal(Binding.typeOf(e.getValue()), slot(e.getValue()));
        cb.invokestatic(w.owner, name, type);
        if (defined != null) env.put(defined, newFloat());
    }

    private void loadParam(Binding b) {
        switch (b) {
            case Binding.Buf buf -> {
                cb.aload(buf.arrSlot());
                if (buf.offSlot() >= 0) cb.iload(buf.offSlot());
            }
            default -> cb.loadLocal(Binding.typeOf(b), slot(b));
        }
    }

    private static int slot(Binding b) {
        return switch (b) {
            case Binding.IntLocal i -> i.slot();
            case Binding.LongLocal l -> l.slot();
            case Binding.FloatLocal f -> f.slot();
            case Binding.VecLocal v -> v.slot();
            case Binding.Buf buf -> buf.arrSlot();
        };
    }

    private Binding.FloatLocal newFloat() {
        int slot = cb.allocateLocal(TypeKind.FLOAT);
        cb.fstore(slot);
        return new Binding.FloatLocal(slot, false);
    }

    void stmt(Stmt s, Map<String, Binding> env, int depth, String lane) {
        switch (s) {
            case Stmt.Let let -> {
                if (lane != null) {
                    new ExprEmitter(w, cb, env, lane).expr(let.value());
                    int slot = cb.allocateLocal(TypeKind.REFERENCE);
                    cb.astore(slot);
                    env.put(let.name(), new Binding.VecLocal(slot));
                } else {
                    new ExprEmitter(w, cb, env, null).expr(let.value());
                    env.put(let.name(), newFloat());
                }
            }
            case Stmt.Store st -> store(st, env, lane);
            case Stmt.Loop l -> loop(l, env, depth);
            case Stmt.Reduce r -> reduce(r, env);
            case Stmt.Call c -> call(c, env);
        }
    }

    private void store(Stmt.Store st, Map<String, Binding> env, String lane) {
        Binding.Buf buf = (Binding.Buf) env.get(st.buf());
        ExprEmitter ex = new ExprEmitter(w, cb, env, lane);
        if (lane != null) {
            ex.expr(st.value());
            cb.aload(buf.arrSlot());
            ex.address(buf, st.idx());
            int stride = Vectorizable.gatherStride(st.idx(), lane);
            if (stride != 0) {
                cb.getstatic(w.owner, w.strideField(stride), Descs.INT_ARRAY);
                cb.iconst_0();
                cb.invokevirtual(Descs.FV, "intoArray", Descs.SCATTER);
            } else {
                cb.invokevirtual(Descs.FV, "intoArray", Descs.INTO_ARRAY);
            }
        } else {
            cb.aload(buf.arrSlot());
            ex.address(buf, st.idx());
            ex.expr(st.value());
            cb.fastore();
        }
    }

    /** Whether a vector-marked loop really runs on vectors here; logs the reason at debug 3 when not. */
    private boolean vectorize(boolean marked, String var, List<Stmt> body, Expr value) {
        if (!vectorMode || !marked) return false;
        String why = Vectorizable.whyNot(var, body, value,
                b -> w.kernel.param(b).orElse(null) instanceof dev.ingot.compiler.loop.Param.Arena);
        if (why != null && Debug.level() >= 3) {
            System.err.println("[ingot] kernel " + w.kernel.name() + ": loop over " + var + " runs scalar: " + why);
        }
        return why == null;
    }

    private void loop(Stmt.Loop l, Map<String, Binding> env, int depth) {
        ExprEmitter ex = new ExprEmitter(w, cb, env, null);
        int i = cb.allocateLocal(TypeKind.INT), hi = cb.allocateLocal(TypeKind.INT);
        ex.index(l.lo());
        cb.istore(i);
        ex.index(l.hi());
        cb.istore(hi);
        if (vectorize(l.vector(), l.var(), l.body(), null)) {
            int vEnd = vectorEnd(i, hi);
            countedLoop(i, vEnd, w.vl, () -> block(l.body(), scope(env, l.var(), i), 0, l.var()));
        }
        countedLoop(i, hi, 1, () -> block(l.body(), scope(env, l.var(), i), depth, null));
    }

    private static Map<String, Binding> scope(Map<String, Binding> env, String var, int slot) {
        Map<String, Binding> inner = new LinkedHashMap<>(env);
        inner.put(var, new Binding.IntLocal(slot, false));
        return inner;
    }

    /** {@code vEnd = i + ((hi - i) & -VL)}: the last lane-aligned start; the tail runs scalar. */
    private int vectorEnd(int i, int hi) {
        return vectorEnd(i, hi, w.vl);
    }

    /** {@code i + ((hi - i) & -step)}; {@code step} is a power of two. */
    private int vectorEnd(int i, int hi, int step) {
        int vEnd = cb.allocateLocal(TypeKind.INT);
        cb.iload(i);
        cb.iload(hi);
        cb.iload(i);
        cb.isub();
        cb.loadConstant(-step);
        cb.iand();
        cb.iadd();
        cb.istore(vEnd);
        return vEnd;
    }

    /** {@code while (i < end) { body; i += step; }} */
    private void countedLoop(int i, int end, int step, Runnable body) {
        Label top = cb.newLabel(), exit = cb.newLabel();
        cb.labelBinding(top);
        cb.iload(i);
        cb.iload(end);
        cb.if_icmpge(exit);
        body.run();
        cb.iinc(i, step);
        cb.goto_(top);
        cb.labelBinding(exit);
    }

    private void reduce(Stmt.Reduce r, Map<String, Binding> env) {
        ExprEmitter ex = new ExprEmitter(w, cb, env, null);
        int i = cb.allocateLocal(TypeKind.INT), hi = cb.allocateLocal(TypeKind.INT);
        int acc = cb.allocateLocal(TypeKind.FLOAT);
        ex.index(r.lo());
        cb.istore(i);
        ex.index(r.hi());
        cb.istore(hi);
        float init = r.kind() == Stmt.Kind.MAX ? Float.NEGATIVE_INFINITY : 0f;
        if (vectorize(r.vector(), r.var(), r.body(), r.value())) {
            // UNROLL independent accumulators hide the add/fma latency (one chain would wait ~4 cycles per
            // vector); they are combined, then a 1-vector loop and the scalar tail finish the row.
            int[] accs = new int[REDUCE_UNROLL];
            for (int u = 0; u < REDUCE_UNROLL; u++) {
                accs[u] = cb.allocateLocal(TypeKind.REFERENCE);
                cb.getstatic(w.owner, "S", Descs.SPECIES);
                cb.loadConstant(init);
                cb.invokestatic(Descs.FV, "broadcast", Descs.BROADCAST);
                cb.astore(accs[u]);
            }
            int vEnd4 = vectorEnd(i, hi, REDUCE_UNROLL * w.vl), lane = cb.allocateLocal(TypeKind.INT);
            countedLoop(i, vEnd4, REDUCE_UNROLL * w.vl, () -> {
                for (int u = 0; u < REDUCE_UNROLL; u++) {
                    cb.iload(i);
                    cb.loadConstant(u * w.vl);
                    cb.iadd();
                    cb.istore(lane);
                    foldVector(r, env, lane, accs[u]);
                }
            });
            String combine = r.kind() == Stmt.Kind.MAX ? "max" : "add";
            for (int u = 1; u < REDUCE_UNROLL; u++) {
                cb.aload(accs[0]);
                cb.aload(accs[u]);
                cb.invokevirtual(Descs.FV, combine, Descs.V_V);
                cb.astore(accs[0]);
            }
            int vEnd = vectorEnd(i, hi);
            countedLoop(i, vEnd, w.vl, () -> foldVector(r, env, i, accs[0]));
            cb.aload(accs[0]);
            cb.getstatic(Descs.OPS, r.kind() == Stmt.Kind.MAX ? "MAX" : "ADD", Descs.OPS_ASSOC);
            cb.invokevirtual(Descs.FV, "reduceLanes", Descs.REDUCE);
        } else {
            cb.loadConstant(init);
        }
        cb.fstore(acc);
        countedLoop(i, hi, 1, () -> {
            Map<String, Binding> inner = scope(env, r.var(), i);
            block(r.body(), inner, 0, null);
            ExprEmitter sx = new ExprEmitter(w, cb, inner, null);
            switch (r.kind()) {
                case SUM -> { cb.fload(acc); sx.expr(r.value()); cb.fadd(); }
                case MAX -> { cb.fload(acc); sx.expr(r.value()); cb.invokestatic(Descs.MATH, "max", Descs.F_FF); }
                case SUMSQ -> { sx.expr(r.value()); cb.dup(); cb.fload(acc); cb.invokestatic(Descs.MATH, "fma", Descs.F_FFF); }
            }
            cb.fstore(acc);
        });
        env.put(r.acc(), new Binding.FloatLocal(acc, false));
    }

    /** One vector iteration of a reduce at lanes {@code [slot value, +VL)}: body, then {@code vacc = fold(vacc, value)}. */
    private void foldVector(Stmt.Reduce r, Map<String, Binding> env, int slot, int vacc) {
        Map<String, Binding> inner = scope(env, r.var(), slot);
        block(r.body(), inner, 0, r.var());
        ExprEmitter vx = new ExprEmitter(w, cb, inner, r.var());
        if (r.kind() == Stmt.Kind.SUMSQ) {
            vx.expr(r.value());
            cb.dup();
            cb.aload(vacc);
            cb.invokevirtual(Descs.FV, "fma", Descs.V_VV);
        } else {
            cb.aload(vacc);
            vx.expr(r.value());
            cb.invokevirtual(Descs.FV, r.kind() == Stmt.Kind.SUM ? "add" : "max", Descs.V_V);
        }
        cb.astore(vacc);
    }

    private void call(Stmt.Call c, Map<String, Binding> env) {
        ExprEmitter ex = new ExprEmitter(w, cb, env, null);
        List<Class<?>> types = new ArrayList<>();
        for (Stmt.Arg a : c.args()) {
            switch (a) {
                case Stmt.Arg.Buf b -> {
                    Binding.Buf buf = (Binding.Buf) env.get(b.buf());
                    cb.aload(buf.arrSlot());
                    switch (buf.kind()) {
                        case ARENA -> { ex.address(buf, b.offset()); types.add(float[].class); types.add(int.class); }
                        case INTS -> { ex.address(buf, b.offset()); types.add(int[].class); types.add(int.class); }
                        case WEIGHTS -> types.add(java.lang.foreign.MemorySegment.class);
                    }
                }
                case Stmt.Arg.Int i -> { ex.index(i.value()); types.add(int.class); }
                case Stmt.Arg.Flt f -> { ex.expr(f.value()); types.add(float.class); }
                case Stmt.Arg.Lng l -> { cb.lload(slot(env.get(l.param()))); types.add(long.class); }
            }
        }
        Method m = Verifier.resolve(c, types);
        if (m == null) throw new IllegalStateException("unresolved call " + c.owner().getName() + "." + c.method());
        MethodTypeDesc desc = MethodTypeDesc.ofDescriptor(
                java.lang.invoke.MethodType.methodType(void.class, types).toMethodDescriptorString());
        cb.invokestatic(java.lang.constant.ClassDesc.of(c.owner().getName()), c.method(), desc);
    }
}
