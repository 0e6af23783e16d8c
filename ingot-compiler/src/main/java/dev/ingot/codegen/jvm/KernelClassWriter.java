package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes one kernel as a class: {@code static final VectorSpecies S} and {@code FloatVector IOTA}
 * (static finals, so C2 treats the species as a constant and intrinsifies every vector call),
 * {@code int[] STRIDEk} index maps for strided gathers/scatters, {@code run(...)} on vectors, its scalar twin {@code scalar(...)} with the same signature, and the
 * methods outlined from either when {@code outlineDepth > 0} (see {@link MethodEmitter}).
 *
 * <p>Arguments follow {@link Kernel#params()}: arena {@code (float[], int off)}, ints {@code (int[], int off)},
 * weights {@code MemorySegment}, scalars as their type. The lane count {@code vl} is baked into loop steps;
 * {@code <clinit>} checks it against the running JVM.
 */
final class KernelClassWriter {
    static final String VECTOR_ENTRY = "run";
    static final String SCALAR_ENTRY = "scalar";

    final Kernel kernel;
    final ClassDesc owner;
    final int vl;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private int outlined;
    private final java.util.SortedSet<Integer> strides = new java.util.TreeSet<>();

    private record Pending(String name, MethodTypeDesc type, Consumer<CodeBuilder> code) {}

    private KernelClassWriter(Kernel kernel, ClassDesc owner, int vl) {
        this.kernel = kernel;
        this.owner = owner;
        this.vl = vl;
    }

    static byte[] write(Kernel kernel, ClassDesc owner, int vl, int outlineDepth) {
        KernelClassWriter w = new KernelClassWriter(kernel, owner, vl);
        return ClassFile.of().build(owner, clb -> w.build(clb, outlineDepth));
    }

    private void build(ClassBuilder clb, int outlineDepth) {
        clb.withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SUPER);
        MethodTypeDesc sig = signature(List.of(), ConstantDescs.CD_void);
        // vl == 0: no Vector API in this JVM; "run" is the scalar code too and the class references no vector type
        pending.add(new Pending(VECTOR_ENTRY, sig, cb -> entry(cb, vl > 0, outlineDepth)));
        pending.add(new Pending(SCALAR_ENTRY, sig, cb -> entry(cb, false, outlineDepth)));
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            clb.withMethodBody(p.name(), p.type(), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, p.code());
        }
        if (vl == 0) return;
        // fields last: the methods above decided which stride maps exist
        int fieldFlags = ClassFile.ACC_STATIC | ClassFile.ACC_FINAL | ClassFile.ACC_PRIVATE;
        clb.withField("S", Descs.SPECIES, fieldFlags);
        clb.withField("IOTA", Descs.FV, fieldFlags);
        for (int stride : strides) clb.withField(strideField(stride), Descs.INT_ARRAY, fieldFlags);
        clb.withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC, cb -> {
            cb.loadConstant(vl);
            cb.invokestatic(Descs.INTRINSICS, "species", Descs.SPECIES_OF);
            cb.dup();
            cb.putstatic(owner, "S", Descs.SPECIES);
            cb.invokestatic(Descs.INTRINSICS, "iota", Descs.IOTA);
            cb.putstatic(owner, "IOTA", Descs.FV);
            for (int stride : strides) {
                cb.loadConstant(vl);
                cb.loadConstant(stride);
                cb.invokestatic(Descs.INTRINSICS, "strideMap", Descs.STRIDE_MAP);
                cb.putstatic(owner, strideField(stride), Descs.INT_ARRAY);
            }
            cb.return_();
        });
    }

    /** Name of the static final index map for a stride (declared when first used). */
    String strideField(int stride) {
        strides.add(stride);
        return "STRIDE" + stride;
    }

    private void entry(CodeBuilder cb, boolean vectorMode, int outlineDepth) {
        MethodEmitter e = new MethodEmitter(this, cb, vectorMode);
        Map<String, Binding> env = paramBindings(List.of());
        e.block(kernel.body(), env, outlineDepth, null);
        cb.return_();
    }

    /** The JVM descriptor for the kernel's parameters followed by {@code extras} (outlined methods' locals). */
    MethodTypeDesc signature(List<Map.Entry<String, Binding>> extras, ClassDesc ret) {
        return signature(kernel, extras, ret);
    }

    static MethodTypeDesc signature(Kernel kernel, List<Map.Entry<String, Binding>> extras, ClassDesc ret) {
        List<ClassDesc> args = new ArrayList<>();
        for (Param p : kernel.params()) {
            switch (p) {
                case Param.Arena a -> { args.add(Descs.FLOAT_ARRAY); args.add(ConstantDescs.CD_int); }
                case Param.Ints a -> { args.add(Descs.INT_ARRAY); args.add(ConstantDescs.CD_int); }
                case Param.Weights w -> args.add(Descs.SEGMENT);
                case Param.Scalar s -> args.add(switch (s.type()) {
                    case INT -> ConstantDescs.CD_int;
                    case LONG -> ConstantDescs.CD_long;
                    case FLOAT -> ConstantDescs.CD_float;
                });
            }
        }
        for (Map.Entry<String, Binding> e : extras) {
            args.add(switch (e.getValue()) {
                case Binding.IntLocal i -> ConstantDescs.CD_int;
                case Binding.FloatLocal f -> ConstantDescs.CD_float;
                default -> throw new IllegalStateException("cannot pass " + e + " to an outlined method");
            });
        }
        return MethodTypeDesc.of(ret, args);
    }

    /** Bindings of parameters (slot order as in {@link #signature}) then of {@code extras}, fresh slots. */
    Map<String, Binding> paramBindings(List<Map.Entry<String, Binding>> extras) {
        Map<String, Binding> env = new LinkedHashMap<>();
        int slot = 0;
        for (Param p : kernel.params()) {
            switch (p) {
                case Param.Arena a -> { env.put(a.name(), new Binding.Buf(slot, slot + 1, Binding.Kind.ARENA)); slot += 2; }
                case Param.Ints a -> { env.put(a.name(), new Binding.Buf(slot, slot + 1, Binding.Kind.INTS)); slot += 2; }
                case Param.Weights w -> { env.put(w.name(), new Binding.Buf(slot, -1, Binding.Kind.WEIGHTS)); slot += 1; }
                case Param.Scalar s -> {
                    switch (s.type()) {
                        case INT -> env.put(s.name(), new Binding.IntLocal(slot++, true));
                        case FLOAT -> env.put(s.name(), new Binding.FloatLocal(slot++, true));
                        case LONG -> { env.put(s.name(), new Binding.LongLocal(slot, true)); slot += 2; }
                    }
                }
            }
        }
        for (Map.Entry<String, Binding> e : extras) {
            env.put(e.getKey(), e.getValue() instanceof Binding.IntLocal
                    ? new Binding.IntLocal(slot++, false) : new Binding.FloatLocal(slot++, false));
        }
        return env;
    }

    /**
     * Queues a method computing {@code s} with the given in-scope locals as extra arguments; returns its
     * name. A reduce or let returns its float; a loop returns nothing.
     */
    String outline(Stmt s, List<Map.Entry<String, Binding>> extras, boolean vectorMode, int depth, String definedFloat) {
        String name = (vectorMode ? VECTOR_ENTRY : SCALAR_ENTRY) + "$" + outlined++;
        MethodTypeDesc type = signature(extras, definedFloat != null ? ConstantDescs.CD_float : ConstantDescs.CD_void);
        pending.add(new Pending(name, type, cb -> {
            MethodEmitter e = new MethodEmitter(this, cb, vectorMode);
            Map<String, Binding> env = paramBindings(extras);
            e.stmt(s, env, depth, null);
            if (definedFloat != null) {
                cb.fload(((Binding.FloatLocal) env.get(definedFloat)).slot());
                cb.freturn();
            } else {
                cb.return_();
            }
        }));
        return name;
    }
}
