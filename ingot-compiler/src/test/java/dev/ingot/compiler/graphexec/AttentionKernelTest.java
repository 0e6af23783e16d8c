package dev.ingot.compiler.graphexec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.nativec.NativeSgemm;
import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AttentionKernel} (SIMD: 4-row tiles where Lk and Dv are multiples of 2L, single rows otherwise) and the
 * native kernel ({@link NativeSgemm#attention}: 12-query-row blocks, so lq 13 and 25 leave tails; lk and dv not
 * multiples of the 32-column tile leave masked columns; skipped with a message without a C compiler) against a
 * double-precision reference, on strided windows of one arena, with a key mask that hides some keys of every row
 * and all keys of one row (whose output must be zeros). Tolerance 1e-5 relative to the output scale (softmax
 * weights sum to 1; float exp and sums). The native kernel run on two ranges of query rows must equal one call.
 */
class AttentionKernelTest {
    @ParameterizedTest(name = "lq={0} lk={1} d={2} dv={3}")
    @CsvSource({"9,64,32,32", "4,32,16,64", "7,128,32,32", "5,17,8,8", "6,48,32,32", "13,130,24,40", "25,33,32,32"})
    void matchesReference(int lq, int lk, int d, int dv) {
        Random r = Seeds.random("attention lq=" + lq + " lk=" + lk + " d=" + d + " dv=" + dv);
        // q [lq, d] rows qRow apart, k [lk, d], v [lk, dv], o [lq, dv], all in one arena with gaps
        int qRow = d + 3, kRow = d + 5, vRow = dv + 7, oRow = dv + 1;
        int qOff = 0, kOff = qOff + lq * qRow, vOff = kOff + lk * kRow, oOff = vOff + lk * vRow;
        float[] a = Seeds.floats(r, oOff + lq * oRow, 1.5f);
        float[] mask = new float[lq * lk];
        for (int i = 0; i < lq; i++) for (int j = 0; j < lk; j++) mask[i * lk + j] = i == 1 || r.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : 0f;
        float scale = (float) (1 / Math.sqrt(d));
        List<String> impls = new ArrayList<>(List.of("scalar"));
        if (KernelProvider.get().simd()) impls.add("simd");
        NativeSgemm kernel = Gemm.nativeKernel(KernelProvider.get().simd());
        if (kernel != null) impls.add("native");
        else System.out.println("native attention not tested: no C compiler or no AVX-512");
        long[] zero = {0};
        for (String impl : impls) {
            float[] x = a.clone();
            if (impl.equals("native")) {
                assertThat(kernel.attention(x, 0, 1, 0, lq, lq, lk, d, dv, scale, qOff, zero, qRow, kOff, zero, kRow, vOff, zero, vRow,
                        oOff, zero, oRow, mask, 0, zero, lk)).isTrue();
                // query rows in two ranges (how the executor splits one sequence's heads by thread): the same floats
                int mid = lq / 2 + 1;
                float[] y = a.clone();
                assertThat(kernel.attention(y, 0, 1, 0, mid, lq, lk, d, dv, scale, qOff, zero, qRow, kOff, zero, kRow, vOff, zero, vRow,
                        oOff, zero, oRow, mask, 0, zero, lk)).isTrue();
                assertThat(kernel.attention(y, 0, 1, mid, lq, lq, lk, d, dv, scale, qOff, zero, qRow, kOff, zero, kRow, vOff, zero, vRow,
                        oOff, zero, oRow, mask, 0, zero, lk)).isTrue();
                assertThat(y).as("query rows [0, %d) + [%d, %d) vs all at once", mid, mid, lq).isEqualTo(x);
            } else {
                AttentionKernel.run(impl.equals("simd"), x, lq, lk, d, dv, scale, qOff, qRow, kOff, kRow, vOff, vRow, oOff, oRow, mask, 0, lk, 1, new AttentionKernel.Scratch());
            }
            for (int i = 0; i < lq; i++) {
                double[] p = new double[lk];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < lk; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += (double) a[qOff + i * qRow + c] * a[kOff + j * kRow + c];
                    p[j] = s * scale + mask[i * lk + j];
                    max = Math.max(max, p[j]);
                }
                for (int j = 0; j < lk; j++) sum += p[j] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(p[j] - max);
                for (int c = 0; c < dv; c++) {
                    double o = 0;
                    for (int j = 0; j < lk; j++) o += p[j] * a[vOff + j * vRow + c];
                    double want = sum == 0 ? 0 : o / sum;
                    assertThat((double) x[oOff + i * oRow + c]).as("%s lq=%d lk=%d d=%d dv=%d row %d col %d", impl, lq, lk, d, dv, i, c)
                            .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5 * 1.5));
                }
            }
        }
    }
}
