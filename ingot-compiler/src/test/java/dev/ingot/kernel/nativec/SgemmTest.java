package dev.ingot.kernel.nativec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.codegen.jvm.ScalarMath;
import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link NativeSgemm} through {@link Gemm} (one thread and a pool of 3) against the scalar twin, bit for bit: both
 * compute one in-order float FMA chain per output, and the scalar twin is itself checked against a double reference
 * ({@code GemmTest}). Odd sizes: rows covering every tail of the 12-row tile (1 .. 11 left over), N not a multiple
 * of the 32-column panel (masked stores; the padding columns of C must stay untouched), K spanning several 256-deep
 * k blocks with a partial last one, operands at offsets with padded leading dimensions. The JVM tiles run the same
 * cases, and both with a bias, which must equal the product plus the bias added after it, with GELU after the bias,
 * and with a residual (in C's array) added after the bias.
 */
class SgemmTest {
    @TempDir Path cache;

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,1,1", "1,32,16", "5,33,7", "11,17,300", "13,37,29", "16,384,384", "23,100,65", "35,64,611",
            "207,70,130", "128,1536,64", "130,48,1536"})
    void equalsScalarTwin(int m, int n, int k) throws IOException {
        NativeToolchain tc;
        try {
            tc = NativeToolchain.find(cache);
        } catch (IOException e) {
            System.out.println("no C compiler, native sgemm not tested: " + e.getMessage());
            return;
        }
        if (!tc.avx512() || !KernelProvider.get().simd() || Gemm.nr(true) != NativeSgemm.NR) {
            System.out.println("no AVX-512 (or not 16 float lanes), native sgemm not built here");
            return;
        }
        NativeSgemm kernel = NativeSgemm.load(tc);
        Random r = Seeds.random("native sgemm m=" + m + " n=" + n + " k=" + k);
        int lda = k + 3, ldc = n + 5, aOff = 7, cOff = 11;
        float[] a = Seeds.floats(r, aOff + m * lda, 1f), w = Seeds.floats(r, n * k, 0.5f);
        // C at cOff, a residual (BERT's output dense adds one) at resOff behind it in the same array
        int resOff = cOff + m * ldc + 3;
        float[] want = new float[resOff + m * ldc];
        Arrays.fill(want, Float.NaN);
        Gemm.run(null, false, a, aOff, lda, PackedB.pack(w, n, k, Gemm.nr(false)), want, cOff, ldc, m);
        PackedB packed = PackedB.pack(w, n, k, NativeSgemm.NR);
        // with a bias: the same as adding it after the product
        float[] bias = Seeds.floats(r, n, 2f), wantBias = want.clone();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) wantBias[cOff + i * ldc + j] += bias[j];
        // and with GELU after the bias (BERT's intermediate dense): ScalarMath.gelu_erf of that sum, bit for bit
        float[] wantGelu = wantBias.clone();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) wantGelu[cOff + i * ldc + j] = ScalarMath.gelu_erf(wantBias[cOff + i * ldc + j]);
        // and with the residual after the bias: that sum plus the residual, the rounding of a second add
        float[] res = Seeds.floats(r, m * ldc, 3f);
        for (float[] x : new float[][] {want, wantBias, wantGelu}) System.arraycopy(res, 0, x, resOff, res.length);
        float[] wantRes = wantBias.clone();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) wantRes[cOff + i * ldc + j] += res[i * ldc + j];
        try (WorkerPool pool = new WorkerPool(3)) {
            for (WorkerPool p : new WorkerPool[] {null, pool}) {
                for (NativeSgemm kn : new NativeSgemm[] {kernel, null}) {
                    for (int mode = 0; mode < 4; mode++) { // plain, + bias, + bias then GELU, + bias + residual
                        float[] got = new float[want.length];
                        Arrays.fill(got, Float.NaN); // every output written, padding (NaN in want too) untouched
                        System.arraycopy(res, 0, got, resOff, res.length);
                        Gemm.run(p, true, kn, a, aOff, lda, packed, got, cOff, ldc, m, new Gemm.Epilogue(mode == 0 ? null : bias, mode == 3 ? resOff : -1, mode == 2));
                        float[] exp = mode == 0 ? want : mode == 1 ? wantBias : mode == 2 ? wantGelu : wantRes;
                        // first index whose bits differ (AssertJ's element comparator is quadratic on ~400K floats)
                        int at = Arrays.mismatch(bits(got), bits(exp));
                        assertThat(at).as("%s vs scalar twin, threaded=%s mode=%d m=%d n=%d k=%d: first difference at %d (got %s, want %s)",
                                kn == null ? "JVM tiles" : kn, p != null, mode, m, n, k, at, at < 0 ? "" : got[at], at < 0 ? "" : exp[at]).isEqualTo(-1);
                    }
                }
            }
        }
    }

    /** Raw bits (NaN padding compares equal to itself). */
    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToRawIntBits(x[i]);
        return b;
    }
}
