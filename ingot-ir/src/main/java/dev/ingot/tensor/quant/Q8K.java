package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * Q8_K, the activation format paired with the k-quants (292 bytes): d (float32) | qs[256] (int8) |
 * bsums[16] (int16, sum of each 16 quants). iscale = -127/max where max is the signed value of largest
 * magnitude, q = min(127, nearest_int(iscale*x)), d = 1/iscale.
 */
final class Q8K {
    private Q8K() {}

    static final int QK_K = 256;
    static final int BYTES = 292;

    static void dequant(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += BYTES, yo += QK_K) {
            float d = f32(b, bo);
            for (int j = 0; j < QK_K; ++j) y[yo + j] = d * b[bo + 4 + j];
        }
    }

    static void quant(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK_K, bo += BYTES) {
            float max = 0, amax = 0;
            for (int j = 0; j < QK_K; ++j) {
                float ax = Math.abs(x[xo + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xo + j];
                }
            }
            if (amax == 0) {
                // ggml leaves bsums unwritten here; we write zeros so output is deterministic
                java.util.Arrays.fill(b, bo, bo + BYTES, (byte) 0);
                continue;
            }
            float iscale = -127.f / max;
            for (int j = 0; j < QK_K; ++j) b[bo + 4 + j] = (byte) Math.min(127, nearestInt(iscale * x[xo + j]));
            for (int j = 0; j < 16; ++j) {
                int sum = 0;
                for (int ii = 0; ii < 16; ++ii) sum += b[bo + 4 + j * 16 + ii];
                put16(b, bo + 260 + 2 * j, sum);
            }
            put32(b, bo, Float.floatToRawIntBits(1 / iscale));
        }
    }
}
