package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * Q2_K and Q3_K: 256-element super-blocks of sixteen 16-element sub-blocks.
 * <ul>
 * <li>Q2_K (84 bytes): scales[16] (low nibble scale, high nibble min) | qs[64] (2-bit) | d f16 | dmin f16;
 *     value = d*sc*q - dmin*m.</li>
 * <li>Q3_K (110 bytes): hmask[32] | qs[64] (low 2 bits) | scales[12] (6-bit, offset 32) | d f16;
 *     value = d*(sc-32)*(q - 4 if the hmask bit is clear).</li>
 * </ul>
 * In both, qs byte {@code l} of each 32-byte group holds elements l, l+32, l+64, l+96 (bits 0-1, 2-3, 4-5, 6-7).
 */
final class KQuants23 {
    private KQuants23() {}

    static final int QK_K = 256;
    static final int Q2K_BYTES = 84;
    static final int Q3K_BYTES = 110;

    static void dequantQ2K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += Q2K_BYTES) {
            float d = f16(b, bo + 80), min = f16(b, bo + 82);
            int q = bo + 16, is = 0;
            for (int n = 0; n < QK_K; n += 128, q += 32) {
                for (int j = 0, shift = 0; j < 4; ++j, shift += 2) {
                    for (int half = 0; half < 2; half++) {
                        int sc = b[bo + is++] & 0xFF;
                        float dl = d * (sc & 0xF), ml = min * (sc >> 4);
                        for (int l = 0; l < 16; ++l) {
                            y[yo++] = dl * (((b[q + l + 16 * half] & 0xFF) >> shift) & 3) - ml;
                        }
                    }
                }
            }
        }
    }

    /** Sub-block j's 6-bit Q3_K scale (0..63, not yet offset by -32). */
    static int q3Scale(byte[] b, int s, int j) {
        int low = j < 8 ? b[s + j] & 0xF : (b[s + j - 8] & 0xFF) >> 4;
        return low | (((b[s + 8 + j % 4] & 0xFF) >> (2 * (j / 4))) & 3) << 4;
    }

    static void dequantQ3K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += Q3K_BYTES) {
            float dAll = f16(b, bo + 108);
            int q = bo + 32, hm = bo, is = 0, m = 1;
            for (int n = 0; n < QK_K; n += 128, q += 32) {
                for (int j = 0, shift = 0; j < 4; ++j, shift += 2, m <<= 1) {
                    for (int half = 0; half < 2; half++) {
                        float dl = dAll * (q3Scale(b, bo + 96, is++) - 32);
                        for (int l = 16 * half; l < 16 * half + 16; ++l) {
                            int v = (((b[q + l] & 0xFF) >> shift) & 3) - ((b[hm + l] & m) != 0 ? 0 : 4);
                            y[yo++] = dl * v;
                        }
                    }
                }
            }
        }
    }

    /** quantize_row_q2_K_ref: make_qkx2_quants(16, 3, |x| weights, mad) per sub-block, 4-bit scales/mins. */
    static void quantQ2K(float[] x, int xo, byte[] b, int bo, int nb) {
        byte[] L = new byte[QK_K], laux = new byte[16];
        float[] weights = new float[16], mins = new float[16], scales = new float[16], theMin = new float[1];
        final float q4scale = 15.f;
        for (int i = 0; i < nb; i++, xo += QK_K, bo += Q2K_BYTES) {
            java.util.Arrays.fill(b, bo, bo + Q2K_BYTES, (byte) 0);
            float maxScale = 0, maxMin = 0;
            for (int j = 0; j < 16; ++j) {
                for (int l = 0; l < 16; ++l) weights[l] = Math.abs(x[xo + 16 * j + l]);
                scales[j] = ScaleSearch.makeQkx2Quants(16, 3, x, xo + 16 * j, weights, L, 16 * j, theMin, laux,
                        -0.5f, 0.1f, 15, true);
                mins[j] = theMin[0];
                if (scales[j] > maxScale) maxScale = scales[j];
                if (mins[j] > maxMin) maxMin = mins[j];
            }
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; ++j) b[bo + j] = (byte) nearestInt(iscale * scales[j]);
                putF16(b, bo + 80, maxScale / q4scale);
            }
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; ++j) b[bo + j] |= (byte) (nearestInt(iscale * mins[j]) << 4);
                putF16(b, bo + 82, maxMin / q4scale);
            }
            float dAll = f16(b, bo + 80), mAll = f16(b, bo + 82);
            for (int j = 0; j < 16; ++j) {
                int sc = b[bo + j] & 0xFF;
                float d = dAll * (sc & 0xF);
                if (d == 0) continue;
                float dm = mAll * (sc >> 4);
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt((x[xo + 16 * j + ii] + dm) / d);
                    L[16 * j + ii] = (byte) Math.max(0, Math.min(3, l));
                }
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    b[bo + 16 + j / 4 + l] = (byte) (L[j + l] | L[j + l + 32] << 2 | L[j + l + 64] << 4 | L[j + l + 96] << 6);
                }
            }
        }
    }

    /** quantize_row_q3_K_ref: make_q3_quants(16, 4, rmse) per sub-block, 6-bit signed scales, re-round. */
    static void quantQ3K(float[] x, int xo, byte[] b, int bo, int nb) {
        byte[] L = new byte[QK_K];
        float[] scales = new float[16];
        for (int i = 0; i < nb; i++, xo += QK_K, bo += Q3K_BYTES) {
            java.util.Arrays.fill(b, bo, bo + Q3K_BYTES, (byte) 0);
            float maxScale = 0, amax = 0;
            for (int j = 0; j < 16; ++j) {
                scales[j] = ScaleSearch.makeQ3Quants(16, 4, x, xo + 16 * j, L, 16 * j, true);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            int s = bo + 96;
            if (maxScale != 0) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < 16; ++j) {
                    int l = (byte) nearestInt(iscale * scales[j]); // int8_t l = nearest_int(...)
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) b[s + j] = (byte) (l & 0xF);
                    else b[s + j - 8] |= (byte) ((l & 0xF) << 4);
                    l >>= 4;
                    b[s + j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
                }
                putF16(b, bo + 108, 1 / iscale);
            }
            float dAll = f16(b, bo + 108);
            for (int j = 0; j < 16; ++j) {
                float d = dAll * (q3Scale(b, s, j) - 32);
                if (d == 0) continue;
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    L[16 * j + ii] = (byte) (Math.max(-4, Math.min(3, l)) + 4);
                }
            }
            // high bit of level j goes to hmask[j % 32], bit j / 32
            for (int j = 0; j < QK_K; ++j) {
                if (L[j] > 3) {
                    b[bo + (j & 31)] |= (byte) (1 << (j >> 5));
                    L[j] -= 4;
                }
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    b[bo + 32 + j / 4 + l] = (byte) (L[j + l] | L[j + l + 32] << 2 | L[j + l + 64] << 4 | L[j + l + 96] << 6);
                }
            }
        }
    }
}
