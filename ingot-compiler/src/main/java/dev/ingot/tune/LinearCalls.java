package dev.ingot.tune;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.nativec.NativeLinear;
import dev.ingot.kernel.nativec.NativeSource;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/** Builds what runs a {@link LinearSchedule}: its kernel, and the {@link GroupedLinear} call site with its knobs. */
public final class LinearCalls {
    private LinearCalls() {}

    /** {@code s}'s kernel: the native variant with its tiles, or empty when it does not build or load here. */
    public static Optional<LinearKernel> exactKernel(LinearSchedule s, DType dtype, NativeBackend backend) {
        if (!s.nativeBackend()) return Optional.of(KernelProvider.get().linear(dtype));
        if (!NativeSource.supports(dtype)) return Optional.empty();
        Optional<NativeLinear> k = backend.linear(NativeSource.packed(dtype, s.groups(), s.tokens(), s.decodeGroups()));
        return k.map(n -> n);
    }

    /** {@code s}'s kernel, or the dtype's JVM kernel where the native one is unavailable (the backend logged why). */
    public static LinearKernel kernel(LinearSchedule s, DType dtype, NativeBackend backend) {
        return exactKernel(s, dtype, backend).orElseGet(() -> KernelProvider.get().linear(dtype));
    }

    /**
     * A one-part call site running {@code s} over weights {@code w} [N, K] as a tier-1 program runs it (native
     * weights packed here, once per weight segment). Throws IllegalStateException when {@code s}'s native kernel
     * is unavailable here.
     */
    public static GroupedLinear single(LinearSchedule s, DType dtype, MemorySegment w, int N, int K, WorkerPool pool,
                                       NativeBackend backend) {
        LinearKernel k = exactKernel(s, dtype, backend)
                .orElseThrow(() -> new IllegalStateException("no native kernel for " + s.text() + " here"));
        return new GroupedLinear(k, new MemorySegment[] {w}, new int[] {N}, K, new float[][] {null}, pool,
                GroupedLinear.Packing.POOL, s.grain(), s.tokenBlock(), s.amx());
    }
}
