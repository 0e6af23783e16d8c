package dev.ingot.kernel.linear;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;

/**
 * {@code y[t, n] = sum_k x[t, k] * W[n, k] (+ bias[n])} for one weight dtype.
 *
 * <p>Layouts: {@code W} is N rows of K elements, row {@code n} at byte {@code n * dtype.rowBytes(K)} of
 * {@code w} (a read-only, usually memory-mapped segment; GGML block layout, never expanded to float).
 * {@code x} is [T, K] floats, token t's row at {@code x[xOff + t * xStride ..]}; {@code y} is [T, N], element
 * (t, n) at {@code y[yOff + t * yStride + n]}; {@code bias} is [N] floats or null. Implementations are
 * stateless and thread-safe; they do not allocate. A call computes rows {@code [n0, n1)} only, so a
 * {@link dev.ingot.kernel.parallel.WorkerPool} can split N across threads ({@link ParallelLinear}).
 * K must be a multiple of the dtype's block size.
 */
public interface LinearKernel {
    DType dtype();

    void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
              float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1);

    /** Whole matrix, on the calling thread. */
    default void apply(MemorySegment w, int N, int K, float[] x, int xOff, float[] y, int yOff, int T, float[] bias) {
        rows(w, K, x, xOff, K, y, yOff, N, T, bias, 0, N);
    }
}
