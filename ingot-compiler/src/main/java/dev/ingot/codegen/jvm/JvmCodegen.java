package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Printer;
import dev.ingot.compiler.loop.Verifier;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Loop IR to JVM bytecode. {@link #generate} produces class bytes whose every method is below
 * HotSpot's huge-method limit (8000 bytes of bytecode: {@code -XX:-DontCompileHugeMethods} is off by
 * default, so a bigger method would stay interpreted forever): it tries the kernel as written, then
 * outlines loops one nesting level deeper at a time until every method fits. {@link #load} defines the
 * bytes as a hidden class next to this one.
 */
public final class JvmCodegen {
    /** HotSpot's {@code HugeMethodLimit}: methods with more bytecode than this are never JIT-compiled. */
    public static final int HUGE_METHOD_LIMIT = 8000;
    private static final int MAX_OUTLINE_DEPTH = 8;

    private JvmCodegen() {}

    /**
     * Lanes of {@code FloatVector.SPECIES_PREFERRED} on this JVM: the width generated code is built for; 0 without
     * the Vector API, in which case classes are scalar only.
     */
    public static int preferredLanes() {
        return VectorSupport.lanes();
    }

    public static byte[] generate(Kernel k) {
        return generate(k, HUGE_METHOD_LIMIT);
    }

    /** Generates with a chosen per-method limit (tests force splitting with a small one). */
    public static byte[] generate(Kernel k, int methodLimit) {
        Verifier.verify(k);
        if (Debug.level() >= 3) System.err.println("[ingot] loop IR\n" + Printer.print(k));
        ClassDesc owner = ClassDesc.of(JvmCodegen.class.getPackageName() + ".K_" + k.name());
        int largest = 0;
        for (int depth = 0; depth <= MAX_OUTLINE_DEPTH; depth++) {
            byte[] bytes = KernelClassWriter.write(k, owner, preferredLanes(), depth);
            largest = largestMethod(bytes);
            if (largest < methodLimit) {
                List<VerifyError> errors = ClassFile.of().verify(bytes);
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("generated class for " + k.name() + " fails verification: " + errors);
                }
                if (Debug.level() >= 4) System.err.println("[ingot] bytecode\n" + Listing.of(bytes));
                return bytes;
            }
        }
        throw new IllegalStateException("kernel " + k.name() + " has a method of " + largest + " bytes (limit "
                + methodLimit + ") even when every loop is outlined: a vector loop body is too big; split it in loop IR");
    }

    /** Bytecode length of the largest method. */
    public static int largestMethod(byte[] bytes) {
        ClassModel cm = ClassFile.of().parse(bytes);
        int max = 0;
        for (MethodModel m : cm.methods()) {
            max = Math.max(max, m.findAttribute(Attributes.code()).map(c -> c.codeLength()).orElse(0));
        }
        return max;
    }

    /** Defines {@code bytes} (from {@link #generate}, possibly via the cache) as a hidden class. */
    public static CompiledKernel load(Kernel k, byte[] bytes) {
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
            Class<?> c = hidden.lookupClass();
            MethodType type = entryType(k);
            MethodHandle vec = hidden.findStatic(c, KernelClassWriter.VECTOR_ENTRY, type);
            MethodHandle scalar = hidden.findStatic(c, KernelClassWriter.SCALAR_ENTRY, type);
            return new CompiledKernel(k, bytes, c, vec, scalar);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load generated class for kernel " + k.name(), e);
        }
    }

    /** Generates and loads. */
    public static CompiledKernel compile(Kernel k) {
        return load(k, generate(k));
    }

    /** The Java type of a kernel's entry methods. */
    public static MethodType entryType(Kernel k) {
        try {
            return KernelClassWriter.signature(k, List.of(), java.lang.constant.ConstantDescs.CD_void)
                    .resolveConstantDesc(MethodHandles.lookup());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kernel " + k.name() + " signature", e);
        }
    }
}
