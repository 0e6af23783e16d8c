package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormRopeTest {
    @Test
    void rmsNormHandValues() {
        // row (3, 4): mean square 12.5, eps 0.5 -> scale 1/sqrt(13) ; weight (1, 2)
        Tensor x = Tensor.f32(new float[] {3, 4, 0, 0}, 2, 2);
        float[] out = run((b, v) -> b.rmsNorm(v.get(0), v.get(1), 0.5f, null), x, Tensor.f32(new float[] {1, 2}, 2)).floats();
        double s = 1 / Math.sqrt(13);
        assertClose(out, new float[] {(float) (3 * s), (float) (8 * s), 0, 0}, 1e-7, "rms_norm");
    }

    @Test
    void oddSizesNormaliseToUnitRmsAndZeroMean() {
        Random r = Seeds.random("norm-odd");
        for (int d : new int[] {1, 13, 207, 4098}) {
            float[] x = Seeds.floats(r, 2 * d, 3);
            float[] ones = new float[d];
            java.util.Arrays.fill(ones, 1f);
            float[] rms = run((b, v) -> b.rmsNorm(v.get(0), v.get(1), 0f, null), Tensor.f32(x, 2, d), Tensor.f32(ones, d)).floats();
            float[] ln = run((b, v) -> b.layerNorm(v.get(0), v.get(1), null, 0f, null), Tensor.f32(x, 2, d), Tensor.f32(ones, d)).floats();
            for (int row = 0; row < 2; row++) {
                double ss = 0, mean = 0, var = 0;
                for (int i = 0; i < d; i++) {
                    ss += (double) rms[row * d + i] * rms[row * d + i];
                    mean += ln[row * d + i];
                }
                mean /= d;
                for (int i = 0; i < d; i++) var += (ln[row * d + i] - mean) * (ln[row * d + i] - mean);
                // tolerance: float rounding of each output, accumulated over d elements
                assertThat(ss / d).as("rms_norm mean square, D=%d", d).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                if (d == 1) continue; // eps = 0 over one element is 0/0: NaN by definition
                assertThat(mean).as("layer_norm mean, D=%d", d).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(var / d).as("layer_norm variance, D=%d", d).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void layerNormHandValues() {
        // row (1, 2, 3): mean 2, biased var 2/3, eps 0 -> (-1, 0, 1) * sqrt(1.5); w = 2, b = 1
        Tensor x = Tensor.f32(new float[] {1, 2, 3}, 1, 3);
        float[] out = run((b, v) -> b.layerNorm(v.get(0), v.get(1), v.get(2), 0f, null), x,
                Tensor.f32(new float[] {2, 2, 2}, 3), Tensor.f32(new float[] {1, 1, 1}, 3)).floats();
        double k = Math.sqrt(1.5);
        assertClose(out, new float[] {(float) (1 - 2 * k), 1, (float) (1 + 2 * k)}, 1e-6, "layer_norm");
    }

    @Test
    void ropeRotatesOnePairByHand() {
        // x [T=1, H=1, D=4], pos 2, base 100, rotDim 4: pair 0 angle 2, pair 1 angle 2 * 100^(-1/2) = 0.2
        Tensor x = Tensor.f32(new float[] {1, 2, 3, 4}, 1, 1, 4);
        Tensor pos = Tensor.i32(new int[] {2}, 1);
        float[] norm = run((b, v) -> b.rope(v.get(0), v.get(1), null, RopeMode.NORM, 4, 100f, null), x, pos).floats();
        assertClose(norm, new float[] {
            (float) (1 * Math.cos(2) - 2 * Math.sin(2)), (float) (1 * Math.sin(2) + 2 * Math.cos(2)),
            (float) (3 * Math.cos(0.2) - 4 * Math.sin(0.2)), (float) (3 * Math.sin(0.2) + 4 * Math.cos(0.2))}, 1e-6, "NORM");
        float[] neox = run((b, v) -> b.rope(v.get(0), v.get(1), null, RopeMode.NEOX, 4, 100f, null), x, pos).floats();
        // NEOX pairs (0, 2) with angle 2 and (1, 3) with angle 0.2
        assertClose(neox, new float[] {
            (float) (1 * Math.cos(2) - 3 * Math.sin(2)), (float) (2 * Math.cos(0.2) - 4 * Math.sin(0.2)),
            (float) (1 * Math.sin(2) + 3 * Math.cos(2)), (float) (2 * Math.sin(0.2) + 4 * Math.cos(0.2))}, 1e-6, "NEOX");
    }

    @Test
    void neoxEqualsNormOnInterleavedLayout() {
        // NEOX on x equals NORM on x with halves interleaved (the permutation GGUF conversion applies to Llama Q/K)
        Random r = Seeds.random("rope-neox-norm");
        int t = 3, h = 2, d = 8;
        float[] x = Seeds.floats(r, t * h * d, 1);
        float[] inter = new float[x.length];
        for (int row = 0; row < t * h; row++) {
            for (int i = 0; i < d / 2; i++) {
                inter[row * d + 2 * i] = x[row * d + i];
                inter[row * d + 2 * i + 1] = x[row * d + i + d / 2];
            }
        }
        Tensor pos = Tensor.i64(new long[] {0, 5, 17}, 3);
        float[] neox = run((b, v) -> b.rope(v.get(0), v.get(1), null, RopeMode.NEOX, d, 10000f, null), Tensor.f32(x, t, h, d), pos).floats();
        float[] norm = run((b, v) -> b.rope(v.get(0), v.get(1), null, RopeMode.NORM, d, 10000f, null), Tensor.f32(inter, t, h, d), pos).floats();
        for (int row = 0; row < t * h; row++) {
            for (int i = 0; i < d / 2; i++) {
                assertThat(norm[row * d + 2 * i]).isEqualTo(neox[row * d + i]);
                assertThat(norm[row * d + 2 * i + 1]).isEqualTo(neox[row * d + i + d / 2]);
            }
        }
        // position 0 is the identity
        for (int i = 0; i < h * d; i++) assertThat(neox[i]).isEqualTo(x[i]);
    }

    @Test
    void partialRotaryAndFreqFactors() {
        // D = 6, rotDim = 4: dims 4, 5 pass through; freq factor 2 on pair 1 halves its angle
        Tensor x = Tensor.f32(new float[] {1, 0, 1, 0, 7, 8}, 1, 1, 6);
        Tensor pos = Tensor.i32(new int[] {3}, 1);
        float[] out = run((b, v) -> b.rope(v.get(0), v.get(1), v.get(2), RopeMode.NORM, 4, 10000f, null), x, pos,
                Tensor.f32(new float[] {1, 2}, 2)).floats();
        double a1 = 3 * Math.pow(10000, -2.0 / 4) / 2;
        assertClose(out, new float[] {(float) Math.cos(3), (float) Math.sin(3), (float) Math.cos(a1), (float) Math.sin(a1), 7, 8}, 1e-6, "partial");
    }
}
