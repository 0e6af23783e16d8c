package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.util.Locale;
import java.util.Map;

/**
 * Emits index and float expressions. Scalar mode leaves an int/float on the stack; vector mode a
 * {@code FloatVector} for lanes {@code i..i+VL-1} of the innermost loop variable: loads contiguous in it
 * become {@code fromArray}/{@code fromMemorySegment}, everything else (constants, scalars, loads that do
 * not depend on it) is broadcast. Indices are always scalar ints, evaluated at the first lane.
 */
final class ExprEmitter {
    private final KernelClassWriter w;
    private final CodeBuilder cb;
    private final Map<String, Binding> env;
    /** The vector loop's variable, or null in scalar code. */
    private final String lane;
    private final boolean vec;

    ExprEmitter(KernelClassWriter w, CodeBuilder cb, Map<String, Binding> env, String lane) {
        this.w = w;
        this.cb = cb;
        this.env = env;
        this.lane = lane;
        this.vec = lane != null;
    }

    void index(Index i) {
        switch (i) {
            case Index.Const c -> cb.loadConstant(c.value());
            case Index.Var v -> cb.iload(((Binding.IntLocal) env.get(v.name())).slot());
            case Index.Bin b -> {
                index(b.a());
                index(b.b());
                switch (b.op()) {
                    case ADD -> cb.iadd();
                    case SUB -> cb.isub();
                    case MUL -> cb.imul();
                    case DIV -> cb.idiv();
                    case REM -> cb.irem();
                }
            }
            case Index.Load l -> {
                Binding.Buf buf = (Binding.Buf) env.get(l.buf());
                cb.aload(buf.arrSlot());
                address(buf, l.idx());
                cb.iaload();
            }
        }
    }

    /** Pushes {@code off + idx} for arrays, or the byte offset {@code idx * 4L} for a segment. */
    void address(Binding.Buf buf, Index idx) {
        if (buf.kind() == Binding.Kind.WEIGHTS) {
            index(idx);
            cb.i2l();
            cb.loadConstant(4L);
            cb.lmul();
        } else {
            cb.iload(buf.offSlot());
            if (!(idx instanceof Index.Const(int c) && c == 0)) {
                index(idx);
                cb.iadd();
            }
        }
    }

    void expr(Expr e) {
        switch (e) {
            case Expr.Const c -> {
                if (vec) cb.getstatic(w.owner, "S", Descs.SPECIES);
                cb.loadConstant(c.value());
                if (vec) broadcast();
            }
            case Expr.Load l -> load(l);
            case Expr.Ref r -> {
                Binding b = env.get(r.name());
                if (b instanceof Binding.VecLocal v) {
                    cb.aload(v.slot());
                } else {
                    if (vec) cb.getstatic(w.owner, "S", Descs.SPECIES);
                    cb.fload(((Binding.FloatLocal) b).slot());
                    if (vec) broadcast();
                }
            }
            case Expr.ToFloat t -> {
                boolean lanes = vec && varying(t.idx());
                if (lanes) cb.getstatic(w.owner, "IOTA", Descs.FV);
                if (vec) cb.getstatic(w.owner, "S", Descs.SPECIES);
                index(t.idx());
                cb.i2f();
                if (vec) broadcast();
                if (lanes) cb.invokevirtual(Descs.FV, "add", Descs.V_V);
            }
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.Fma f -> {
                expr(f.a());
                expr(f.b());
                expr(f.c());
                if (vec) cb.invokevirtual(Descs.FV, "fma", Descs.V_VV);
                else cb.invokestatic(Descs.MATH, "fma", Descs.F_FFF);
            }
            case Expr.Select s -> select(s);
        }
    }

    private void broadcast() {
        cb.invokestatic(Descs.FV, "broadcast", Descs.BROADCAST);
    }

    /** Whether {@code idx} changes across the lanes of the current vector loop. */
    private boolean varying(Index idx) {
        Integer c = Index.coefficient(idx, lane);
        return c == null || c != 0;
    }

    private void load(Expr.Load l) {
        Binding.Buf buf = (Binding.Buf) env.get(l.buf());
        boolean lanes = vec && varying(l.idx());
        if (vec) cb.getstatic(w.owner, "S", Descs.SPECIES);
        cb.aload(buf.arrSlot());
        if (buf.kind() == Binding.Kind.WEIGHTS) {
            if (lanes) {
                address(buf, l.idx());
                cb.getstatic(Descs.BYTE_ORDER, "LITTLE_ENDIAN", Descs.BYTE_ORDER);
                cb.invokestatic(Descs.FV, "fromMemorySegment", Descs.FROM_SEGMENT);
                return;
            }
            cb.getstatic(Descs.VALUE_LAYOUT, "JAVA_FLOAT_UNALIGNED", Descs.OF_FLOAT);
            address(buf, l.idx());
            cb.invokeinterface(Descs.SEGMENT, "get", Descs.SEGMENT_GET);
        } else {
            address(buf, l.idx());
            int stride = lanes ? dev.ingot.compiler.loop.Vectorizable.gatherStride(l.idx(), lane) : 0;
            if (stride != 0) {
                cb.getstatic(w.owner, w.strideField(stride), Descs.INT_ARRAY);
                cb.iconst_0();
                cb.invokestatic(Descs.FV, "fromArray", Descs.GATHER);
                return;
            }
            if (lanes) {
                cb.invokestatic(Descs.FV, "fromArray", Descs.FROM_ARRAY);
                return;
            }
            cb.faload();
        }
        if (vec) broadcast();
    }

    private void unary(Expr.Unary u) {
        expr(u.a());
        String name = u.op().name().toLowerCase(Locale.ROOT);
        if (vec) {
            switch (u.op()) {
                case NEG -> cb.invokevirtual(Descs.FV, "neg", Descs.V_);
                case ABS -> cb.invokevirtual(Descs.FV, "abs", Descs.V_);
                default -> cb.invokestatic(Descs.INTRINSICS, name + "V", Descs.V_UNARY);
            }
        } else {
            switch (u.op()) {
                case NEG -> cb.fneg();
                case ABS -> cb.invokestatic(Descs.MATH, "abs", Descs.F_F);
                default -> cb.invokestatic(Descs.SCALAR_MATH, name, Descs.F_F);
            }
        }
    }

    private void binary(Expr.Binary b) {
        expr(b.a());
        expr(b.b());
        if (vec) {
            cb.invokevirtual(Descs.FV, b.op().name().toLowerCase(Locale.ROOT), Descs.V_V);
            return;
        }
        switch (b.op()) {
            case ADD -> cb.fadd();
            case SUB -> cb.fsub();
            case MUL -> cb.fmul();
            case DIV -> cb.fdiv();
            case MAX -> cb.invokestatic(Descs.MATH, "max", Descs.F_FF);
            case MIN -> cb.invokestatic(Descs.MATH, "min", Descs.F_FF);
        }
    }

    /** Vector: {@code ifFalse.blend(ifTrue, a.compare(OP, b))}. Scalar: fcmpg/fcmpl so NaN compares false. */
    private void select(Expr.Select s) {
        if (vec) {
            expr(s.ifFalse());
            expr(s.ifTrue());
            expr(s.a());
            cb.getstatic(Descs.OPS, s.cmp().name(), Descs.OPS_CMP);
            expr(s.b());
            cb.invokevirtual(Descs.FV, "compare", Descs.COMPARE);
            cb.invokevirtual(Descs.FV, "blend", Descs.BLEND);
            return;
        }
        Label yes = cb.newLabel(), end = cb.newLabel();
        expr(s.a());
        expr(s.b());
        switch (s.cmp()) {
            case LT -> { cb.fcmpg(); cb.iflt(yes); }
            case LE -> { cb.fcmpg(); cb.ifle(yes); }
            case GT -> { cb.fcmpl(); cb.ifgt(yes); }
            case GE -> { cb.fcmpl(); cb.ifge(yes); }
            case EQ -> { cb.fcmpl(); cb.ifeq(yes); }
            case NE -> { cb.fcmpl(); cb.ifne(yes); }
        }
        expr(s.ifFalse());
        cb.goto_(end);
        cb.labelBinding(yes);
        expr(s.ifTrue());
        cb.labelBinding(end);
    }
}
