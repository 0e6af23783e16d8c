package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Kernel;

import java.lang.invoke.MethodHandle;

/**
 * A kernel loaded as a hidden class. {@link #vector()} and {@link #scalar()} have the same type (see
 * {@link KernelClassWriter}); callers on a hot path keep the handle in a {@code static final} field or
 * bind it once and use {@code invokeExact}. {@link #invoke} is for tests and one-off calls.
 */
public record CompiledKernel(Kernel kernel, byte[] classBytes, Class<?> type, MethodHandle vector, MethodHandle scalar) {
    /** Runs the vector entry with boxed arguments (slow path: reflection-style adaptation per call). */
    public void invoke(Object... args) {
        call(vector, args);
    }

    /** Runs the scalar twin. */
    public void invokeScalar(Object... args) {
        call(scalar, args);
    }

    private static void call(MethodHandle h, Object[] args) {
        try {
            h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
