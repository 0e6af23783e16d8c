package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dequant(quant(x)) against per-format error bounds, on seeded Gaussian rows with an odd row count and
 * awkward blocks mixed in (all zero, constant, one outlier, all negative, fp16-subnormal scales).
 */
class QuantRoundTripTest {

    static final int ROWS = 7;

    /** 7 rows of 768 values (3 super-blocks): Gaussian with special blocks in rows 1-5. */
    static float[] data(String what) {
        Random r = Seeds.random(what);
        int n = 768;
        float[] x = new float[ROWS * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        // row 1: zeros in the first super-block; row 2: constant; row 3: one outlier per block of 32
        java.util.Arrays.fill(x, n, n + 256, 0f);
        java.util.Arrays.fill(x, 2 * n, 2 * n + 256, 0.37f);
        for (int i = 3 * n; i < 4 * n; i += 32) x[i + 5] = 40f;
        // row 4: all negative; row 5: tiny values whose scales are fp16 subnormals
        for (int i = 4 * n; i < 5 * n; i++) x[i] = -Math.abs(x[i]);
        for (int i = 5 * n; i < 6 * n; i++) x[i] *= 1e-6f;
        return x;
    }

    static float[] roundTrip(DType t, float[] x) {
        int n = x.length / ROWS;
        int rb = Math.toIntExact(t.rowBytes(n));
        byte[] q = new byte[rb * ROWS];
        for (int r = 0; r < ROWS; r++) Quantize.row(t, x, r * n, n, q, r * rb);
        float[] y = new float[x.length];
        for (int r = 0; r < ROWS; r++) Dequant.row(t, q, r * rb, y, r * n, n);
        return y;
    }

    /**
     * Worst-case error allowed for one block, from the block's range. Symmetric formats with a signed
     * max (Q4_0, Q5_0) can be off by a whole step at the opposite extreme (level 2^(b-1) is clamped);
     * the fp16 rounding of scales adds 2^-11 relative per level, covered by the 5-10% margins.
     */
    static double bound(DType t, float amax, float range) {
        return switch (t) {
            case Q8_0, Q8_1 -> 0.55 * amax / 127;
            case Q4_0 -> 1.05 * amax / 8;
            case Q5_0 -> 1.05 * amax / 16;
            case Q4_1 -> 0.55 * range / 15 + amax * 1e-3;
            case Q5_1 -> 0.55 * range / 31 + amax * 1e-3;
            case Q8_K -> 0.51 * amax / 127;
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q8_1", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_K"})
    void blockErrorWithinBound(DType t) {
        float[] x = data("roundtrip-" + t);
        float[] y = roundTrip(t, x);
        int bs = t.blockSize();
        for (int b = 0; b < x.length / bs; b++) {
            float amax = 0, min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < bs; j++) {
                float v = x[b * bs + j];
                amax = Math.max(amax, Math.abs(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            // fp16 scales below 2^-14 are subnormal: absolute step 2^-24, so each level may be off by 2^-25
            double limit = bound(t, amax, max - min) + 129 * 0x1p-25;
            for (int j = 0; j < bs; j++) {
                int i = b * bs + j;
                assertThat((double) Math.abs(x[i] - y[i])).as("%s element %d (block %d, amax %s)", t, i, b, amax)
                        .isLessThanOrEqualTo(limit);
            }
        }
    }

    /**
     * The k-quants search scales, so their bound is statistical: RMS error relative to the RMS of the
     * Gaussian rows (measured by llama.cpp's own test-quantize-fns as ~0.1% - 4% "reference" error).
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void kQuantRelativeRmsError(DType t) {
        float[] x = data("roundtrip-" + t);
        float[] y = roundTrip(t, x);
        int n = x.length / ROWS;
        double maxRel = switch (t) {
            case Q2_K -> 0.45;
            case Q3_K -> 0.25;
            case Q4_K -> 0.12;
            case Q5_K -> 0.06;
            default -> 0.03; // Q6_K
        };
        for (int r : new int[] {0, 4, 6}) { // the plain Gaussian-like rows
            double se = 0, ss = 0;
            for (int i = r * n; i < (r + 1) * n; i++) {
                se += (x[i] - y[i]) * (double) (x[i] - y[i]);
                ss += x[i] * (double) x[i];
            }
            assertThat(Math.sqrt(se / ss)).as("%s row %d relative RMS error", t, r).isLessThan(maxRel);
        }
        // all-zero and constant super-blocks come back exactly (zero) / nearly exactly
        for (int i = n; i < n + 256; i++) assertThat(y[i]).as("%s zero block", t).isEqualTo(0f);
        for (int i = 2 * n; i < 2 * n + 256; i++) assertThat((double) y[i]).as("%s constant block", t).isCloseTo(0.37, org.assertj.core.data.Offset.offset(0.37 * 0.07));
    }

    /** Formats whose scale is a power-of-two division of an exactly representable level: re-quantising is the identity. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q5_0", "F16", "BF16"})
    void requantisingDequantisedValuesIsAFixedPoint(DType t) {
        float[] x = data("fixedpoint-" + t);
        // Row 5's scales (~1e-8) round to fp16 zero, which loses the block (as in llama.cpp); at 1e-3 x the
        // scales are fp16 subnormals but non-zero, and the fixed point must hold there too.
        int n = x.length / ROWS;
        for (int i = 5 * n; i < 6 * n; i++) x[i] *= 1000f;
        byte[] q = Quantize.all(t, x);
        float[] y = new float[x.length];
        Dequant.row(t, q, 0, y, 0, x.length);
        byte[] again = Quantize.all(t, y);
        int first = java.util.Arrays.mismatch(q, again);
        assertThat(first).as("%s quant(dequant(q)) == q; first differing byte %d (block %d)", t, first,
                first / Math.max(1, t.blockBytes())).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void floatFormats(DType t) {
        float[] x = data("float-" + t);
        float[] y = roundTrip(t, x);
        for (int i = 0; i < x.length; i++) {
            float want = switch (t) {
                case F32 -> x[i];
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(x[i]));
                default -> Float.intBitsToFloat(FloatCodecs.toBf16(x[i]) << 16);
            };
            assertThat(y[i]).as("%s element %d", t, i).isEqualTo(want);
            if (t == DType.BF16) assertThat((double) Math.abs(y[i] - x[i])).isLessThanOrEqualTo(Math.abs(x[i]) / 256.0);
        }
    }
}
