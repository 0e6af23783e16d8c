package dev.ingot.compiler.program;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.kernel.KernelProvider;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The fused row kernels programs call, generated from loop IR and shared by every program. Class bytes go
 * through the compile cache ({@code $INGOT_CACHE} or {@code ~/.cache/ingot/compile}), so a second launch loads
 * them instead of generating them. Uses the vector entry unless the kernel provider fell back to scalar code.
 */
public final class GeneratedKernels {
    private GeneratedKernels() {}

    private static final Map<String, MethodHandle> HANDLES = new ConcurrentHashMap<>();
    private static final CompileCache CACHE = new CompileCache(CompileCache.defaultDir());

    static MethodHandle rmsNorm() { return get("rms_norm", FusedKernels::rmsNorm); }

    static MethodHandle addRmsNorm() { return get("add_rms_norm", FusedKernels::addRmsNorm); }

    static MethodHandle swiglu() { return get("swiglu", FusedKernels::swiglu); }

    /** Kernel compiles and cache hits in this JVM (for {@code --stats}). */
    public static CompileCache.Stats stats() { return CACHE.stats(); }

    private static MethodHandle get(String name, Supplier<Kernel> loopIr) {
        return HANDLES.computeIfAbsent(name, n -> {
            // Row kernels take every size as an argument, so one generic entry serves every shape bucket.
            CompiledKernel k = CACHE.kernel(loopIr.get(), "generic");
            return KernelProvider.get().simd() ? k.vector() : k.scalar();
        });
    }
}
