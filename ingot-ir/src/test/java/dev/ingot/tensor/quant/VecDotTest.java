package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VecDot} against the float64 dot product of the dequantised operands (weights in their type,
 * activations in the vec-dot type): the integer block sums must make these agree to float rounding.
 */
class VecDotTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q5_0", "Q4_1", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "F16", "BF16", "F32"})
    void matchesDequantisedFloat64Dot(DType wt) {
        Random r = Seeds.random("vecdot-" + wt);
        int n = 768, rows = 5;
        float[] w = new float[n * rows], x = new float[n];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.02f;
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian() * (i % 97 == 0 ? 8 : 1); // a few outliers
        byte[] wq = Quantize.all(wt, w);
        byte[] xq = VecDot.quantizeActivations(wt, x, 0, n);
        DType at = VecDot.activationType(wt);
        float[] xd = new float[n];
        Dequant.row(at, xq, 0, xd, 0, n);
        int rb = Math.toIntExact(wt.rowBytes(n));
        for (int row = 0; row < rows; row++) {
            float[] wd = new float[n];
            Dequant.row(wt, wq, row * rb, wd, 0, n);
            double exact = 0, mag = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) wd[i] * xd[i];
                mag += Math.abs((double) wd[i] * xd[i]);
            }
            float got = VecDot.dot(wt, wq, row * rb, xq, n);
            // float accumulation over ~n/32 block terms: a few ulps of the magnitude. Q4_1/Q5_1 also use
            // Q8_1's s = fp16(d * sum(q)) for the min term, which is rounded to 11 bits: allow |m*s| * 2^-11.
            double tol = mag * 2e-6;
            if (at == DType.Q8_1) {
                for (int b = 0; b < n / 32; b++) {
                    float m = f16(wq, row * rb + b * wt.blockBytes() + 2), sAct = f16(xq, b * 36 + 2);
                    tol += Math.abs((double) m * sAct) * 0x1p-11;
                }
            }
            assertThat((double) got).as("%s row %d (activations %s)", wt, row, at).isCloseTo(exact, org.assertj.core.data.Offset.offset(tol));
        }
    }

    static float f16(byte[] b, int i) { return Float.float16ToFloat((short) ((b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8)); }

    @Test
    void activationTypesAreLlamaCpps() {
        assertThat(VecDot.activationType(DType.Q4_0)).isEqualTo(DType.Q8_0);
        assertThat(VecDot.activationType(DType.Q8_0)).isEqualTo(DType.Q8_0);
        assertThat(VecDot.activationType(DType.Q4_1)).isEqualTo(DType.Q8_1);
        assertThat(VecDot.activationType(DType.Q4_K)).isEqualTo(DType.Q8_K);
        assertThat(VecDot.activationType(DType.Q6_K)).isEqualTo(DType.Q8_K);
        assertThat(VecDot.activationType(DType.F16)).isEqualTo(DType.F16);
    }

    @Test
    void q8_0DotIsExactIntegerSumTimesScales() {
        // one block: every product is an integer times d_w*d_x, so the result is exactly representable
        float[] w = new float[32], x = new float[32];
        for (int i = 0; i < 32; i++) {
            w[i] = (i - 16) / 16f * 127f;  // scale exactly 1
            x[i] = (i % 5 - 2) * 63.5f;    // amax 127 -> scale exactly 1
        }
        byte[] wq = Quantize.all(DType.Q8_0, w), xq = VecDot.quantizeActivations(DType.Q8_0, x, 0, 32);
        long want = 0;
        for (int i = 0; i < 32; i++) want += (long) wq[2 + i] * xq[2 + i];
        assertThat(VecDot.dot(DType.Q8_0, wq, 0, xq, 32)).isEqualTo((float) want);
    }
}
