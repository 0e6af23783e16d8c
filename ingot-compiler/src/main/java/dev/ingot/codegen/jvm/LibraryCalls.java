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
     * {@code y[t, 0..N) = x[t, 0..K) · W^T} for T tokens, W [N, K] of the dtype with GGUF id {@code ggmlType}
     * (stable across releases, unlike enum ordinals, so it may be baked into cached code)
     * (x rows at {@code xOff + t*K}, y rows at {@code yOff + t*N}), on the calling thread.
     */
    public static void linear(int ggmlType, MemorySegment w, int N, int K, float[] x, int xOff, float[] y, int yOff, int T) {
        DType t = DType.fromGgmlId(ggmlType);
        LinearKernel k = t == null ? null : LINEAR[t.ordinal()];
        if (k == null) throw new IllegalArgumentException("no linear kernel for GGUF type " + ggmlType + " (" + t + ")");
        k.apply(w, N, K, x, xOff, y, yOff, T, null);
    }
}
