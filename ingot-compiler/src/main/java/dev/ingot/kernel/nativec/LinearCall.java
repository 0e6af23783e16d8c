package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;

/**
 * One call site of a linear layer, whichever backend runs it: {@link ParallelLinear} for the JVM kernels,
 * {@link NativeParallelLinear} (activations quantised once per call) for a native one. Same arguments and
 * layouts as {@link ParallelLinear#run(WorkerPool, MemorySegment, int, int, float[], int, int, float[], int, int, int, float[])}.
 * One instance per call site; not for concurrent use by two callers.
 */
@FunctionalInterface
public interface LinearCall {
    void run(WorkerPool pool, MemorySegment w, int N, int K, float[] x, int xOff, int xStride,
             float[] y, int yOff, int yStride, int T, float[] bias);

    /** The call site for {@code kernel} with default schedule knobs (tuned ones: {@code dev.ingot.tune.LinearCalls}). */
    static LinearCall of(LinearKernel kernel) {
        if (kernel instanceof NativeLinear n) return new NativeParallelLinear(n)::run;
        return new ParallelLinear(kernel)::run;
    }
}
