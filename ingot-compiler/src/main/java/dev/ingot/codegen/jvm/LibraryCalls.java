package dev.ingot.codegen.jvm;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.tensor.DType;

import java.lang.foreign.MemorySegment;

/**
 * Static entry points into the kernel library ({@code dev.ingot.kernel}) for {@link dev.ingot.compiler.loop.Stmt.Call}:
 * generated code can only {@code invokestatic}, and the library hands out kernels as objects. Kernels are
 * resolved once per dtype (a static final table, so C2 folds the lookup).
 */
public final class LibraryCalls {
    private LibraryCalls() {}

    private static final LinearKernel[] LINEAR = new LinearKernel[DType.values().length];

    static {
        for (DType t : DType.values()) {
            try {
                LINEAR[t.ordinal()] = KernelProvider.get().linear(t);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LINEAR[t.ordinal()] = null;   // not a weight type: calls with it fail below, naming the dtype
            }
        }
    }

    /**
     * {@code y[t, 0..N) = x[t, 0..K) · W^T} for T tokens, W [N, K] of dtype {@code DType.values()[dtype]}
     * (x rows at {@code xOff + t*K}, y rows at {@code yOff + t*N}), on the calling thread.
     */
    public static void linear(int dtype, MemorySegment w, int N, int K, float[] x, int xOff, float[] y, int yOff, int T) {
        LinearKernel k = LINEAR[dtype];
        if (k == null) throw new IllegalArgumentException("no linear kernel for " + DType.values()[dtype]);
        k.apply(w, N, K, x, xOff, y, yOff, T, null);
    }
}
