package dev.ingot.kernel.linear;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.testkit.Seeds;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every linear kernel (the SIMD one the provider picks, and the scalar twin) against a double-precision
 * reference built from {@link RefDequant}, on odd shapes that hit every register tile and tail: N in
 * {1, 7, 13} (4-row tiles plus 1-row tails), T in {1, 3, 6} (4-token tiles plus token tails), K odd for
 * the float types. Tolerance: float accumulation in a different order than the reference, so the error
 * bound scales with the magnitude sum: |y - ref| <= 2e-6 * sum_k |w x| + 1e-6 (F32/F16/BF16 and the quants
 * alike, since weights are decoded exactly and only summation differs).
 */
class LinearKernelTest {
    static final float REL = 2e-6f, ABS = 1e-6f;

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void matchesReference(DType t) {
        List<Integer> ks = switch (t) {
            case F32, F16, BF16 -> List.of(1, 13, 207, 64);
            case Q8_0, Q4_0 -> List.of(32, 96, 224);
            default -> List.of(256, 768);
        };
        List<LinearKernel> kernels = List.of(KernelProvider.get().linear(t), new ScalarLinear(t));
        Random r = Seeds.random("linear-" + t);
        try (Arena arena = Arena.ofConfined()) {
            for (int K : ks) {
                for (int N : new int[] {1, 7, 13}) {
                    MemorySegment w = RandomWeights.of(arena, t, N, K, r);
                    for (int T : new int[] {1, 3, 6}) {
                        float[] x = Seeds.floats(r, 2 + T * (K + 3), 1f); // stride K + 3, offset 2
                        float[] bias = (N & 1) == 1 ? Seeds.floats(r, N, 1f) : null;
                        for (LinearKernel k : kernels) check(k, w, N, K, T, x, bias);
                    }
                }
            }
        }
    }

    private static void check(LinearKernel k, MemorySegment w, int N, int K, int T, float[] x, float[] bias) {
        int xOff = 2, xStride = K + 3, yOff = 1, yStride = N + 2;
        float[] y = new float[yOff + T * yStride];
        // Two calls over a split row range, as the pool would issue them.
        int mid = N / 2;
        k.rows(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, 0, mid);
        k.rows(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, mid, N);
        long rb = k.dtype().rowBytes(K);
        for (int n = 0; n < N; n++) {
            float[] wr = RefDequant.row(k.dtype(), w, n * rb, K);
            for (int t = 0; t < T; t++) {
                double ref = bias == null ? 0 : bias[n], mag = 0;
                for (int i = 0; i < K; i++) {
                    double p = (double) wr[i] * x[xOff + t * xStride + i];
                    ref += p;
                    mag += Math.abs(p);
                }
                float got = y[yOff + t * yStride + n];
                assertThat(Math.abs(got - ref))
                        .as("%s %s N=%d K=%d T=%d n=%d t=%d: got %s want %s", k.getClass().getSimpleName(), k.dtype(), N, K, T, n, t, got, ref)
                        .isLessThanOrEqualTo(REL * mag + ABS);
            }
        }
    }
}
