package dev.ingot.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Gemm} (vector tiles and the scalar twin) against a double-precision reference at odd sizes: rows not a
 * multiple of the 6/4/1 tiles, N not a multiple of the panel width, K not a multiple of the vector width, operands
 * at offsets with padded leading dimensions. Tolerance: the error bound of an in-order float FMA chain,
 * {@code K * 2^-24 * sum_k |a_k w_k|}. Vector and scalar must agree exactly (same FMA chain per output).
 */
class GemmTest {
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,1,1", "1,32,16", "5,33,7", "6,64,384", "13,37,29", "16,384,384", "23,100,65", "207,70,130", "128,1536,64"})
    void matchesDoubleReference(int m, int n, int k) {
        Random r = Seeds.random("gemm m=" + m + " n=" + n + " k=" + k);
        int lda = k + 3, ldc = n + 5, aOff = 7, cOff = 11;
        float[] a = Seeds.floats(r, aOff + m * lda, 1f), w = Seeds.floats(r, n * k, 0.5f);
        boolean simd = KernelProvider.get().simd();
        try (WorkerPool pool = new WorkerPool(3)) {
            for (boolean vec : simd ? new boolean[] {true, false} : new boolean[] {false}) {
                for (WorkerPool p : new WorkerPool[] {null, pool}) {
                    float[] c = new float[cOff + m * ldc];
                    java.util.Arrays.fill(c, Float.NaN); // every output must be written; padding must stay untouched
                    Gemm.run(p, vec, a, aOff, lda, PackedB.pack(w, n, k, Gemm.nr(vec)), c, cOff, ldc, m);
                    check(vec ? "vector" : "scalar", p != null, a, aOff, lda, w, c, cOff, ldc, m, n, k);
                }
            }
        }
    }

    private static void check(String impl, boolean threaded, float[] a, int aOff, int lda, float[] w, float[] c, int cOff, int ldc, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                float got = c[cOff + i * ldc + j];
                if (j >= n) {
                    assertThat(got).as("%s: padding column %d of row %d written", impl, j, i).isNaN();
                    continue;
                }
                double ref = 0, mag = 0;
                for (int q = 0; q < k; q++) {
                    double p = (double) a[aOff + i * lda + q] * w[j * k + q];
                    ref += p;
                    mag += Math.abs(p);
                }
                assertThat(Math.abs(got - ref)).as("%s threaded=%s m=%d n=%d k=%d at (%d, %d): got %s want %s", impl, threaded, m, n, k, i, j, got, ref)
                        .isLessThanOrEqualTo(k * 0x1p-24 * mag + 1e-30);
            }
        }
    }

    @Test
    void vectorEqualsScalarBitForBit() {
        if (!KernelProvider.get().simd()) return;
        Random r = Seeds.random("gemm vector vs scalar");
        int m = 31, n = 77, k = 611; // k spans three k blocks (KC = 256), the last partial
        float[] a = Seeds.floats(r, m * k, 2f), w = Seeds.floats(r, n * k, 2f);
        float[] cv = new float[m * n], cs = new float[m * n];
        Gemm.run(null, true, a, 0, k, PackedB.pack(w, n, k, Gemm.nr(true)), cv, 0, n, m);
        Gemm.run(null, false, a, 0, k, PackedB.pack(w, n, k, Gemm.nr(false)), cs, 0, n, m);
        assertThat(cv).as("vector vs scalar gemm m=%d n=%d k=%d", m, n, k).containsExactly(cs);
    }
}
