package dev.ingot.compiler.program;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.kernel.KernelProvider;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The fused row kernels programs call, generated from loop IR once per JVM and shared by every program.
 * Uses the vector entry unless the kernel provider fell back to scalar code.
 */
final class GeneratedKernels {
    private GeneratedKernels() {}

    private static final Map<String, MethodHandle> HANDLES = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger COMPILES = new java.util.concurrent.atomic.AtomicInteger();

    static MethodHandle rmsNorm() { return get("rms_norm", FusedKernels::rmsNorm); }

    static MethodHandle addRmsNorm() { return get("add_rms_norm", FusedKernels::addRmsNorm); }

    static MethodHandle swiglu() { return get("swiglu", FusedKernels::swiglu); }

    /** Kernels generated in this JVM so far. */
    static int compiles() { return COMPILES.get(); }

    private static MethodHandle get(String name, Supplier<Kernel> loopIr) {
        return HANDLES.computeIfAbsent(name, n -> {
            CompiledKernel k = JvmCodegen.compile(loopIr.get());
            COMPILES.incrementAndGet();
            return KernelProvider.get().simd() ? k.vector() : k.scalar();
        });
    }
}
