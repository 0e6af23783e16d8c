package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * Q4_K and Q5_K: 256-element super-blocks of eight 32-element sub-blocks, each with a 6-bit scale and a
 * 6-bit min packed into 12 bytes ({@link #scaleMin}); value = d*sc*q - dmin*m. Quantisation follows
 * {@code quantize_row_q4_K_ref}/{@code quantize_row_q5_K_ref} (make_qkx2_quants per sub-block, then the
 * 6-bit scales relative to the largest, then a final re-rounding of every value with the stored scales).
 */
final class KQuants45 {
    private KQuants45() {}

    static final int QK_K = 256;
    static final int Q4K_BYTES = 144; // d f16 | dmin f16 | scales[12] | qs[128]
    static final int Q5K_BYTES = 176; // d f16 | dmin f16 | scales[12] | qh[32] | qs[128]

    /**
     * get_scale_min_k4: sub-block j's 6-bit scale (low 8 bits of the result) and min (bits 8..15).
     * Bytes 0-3 hold scales 0-3 (low 6 bits) and the top 2 bits of scales 4-7; bytes 4-7 the same for
     * mins; bytes 8-11 the low nibbles of scale (low) and min (high) 4-7.
     */
    static int scaleMin(byte[] b, int s, int j) {
        int sc, m;
        if (j < 4) {
            sc = b[s + j] & 63;
            m = b[s + j + 4] & 63;
        } else {
            sc = (b[s + j + 4] & 0xF) | ((b[s + j - 4] & 0xFF) >> 6) << 4;
            m = ((b[s + j + 4] & 0xFF) >> 4) | ((b[s + j] & 0xFF) >> 6) << 4;
        }
        return sc | m << 8;
    }

    static void dequantQ4K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += Q4K_BYTES) {
            float d = f16(b, bo), min = f16(b, bo + 2);
            int q = bo + 16;
            for (int j = 0, is = 0; j < QK_K; j += 64, is += 2, q += 32) {
                int sm1 = scaleMin(b, bo + 4, is), sm2 = scaleMin(b, bo + 4, is + 1);
                float d1 = d * (sm1 & 0xFF), m1 = min * (sm1 >> 8);
                float d2 = d * (sm2 & 0xFF), m2 = min * (sm2 >> 8);
                for (int l = 0; l < 32; ++l) y[yo++] = d1 * (b[q + l] & 0xF) - m1;
                for (int l = 0; l < 32; ++l) y[yo++] = d2 * ((b[q + l] & 0xFF) >> 4) - m2;
            }
        }
    }

    static void dequantQ5K(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += Q5K_BYTES) {
            float d = f16(b, bo), min = f16(b, bo + 2);
            int qh = bo + 16, ql = bo + 48;
            int u1 = 1, u2 = 2;
            for (int j = 0, is = 0; j < QK_K; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
                int sm1 = scaleMin(b, bo + 4, is), sm2 = scaleMin(b, bo + 4, is + 1);
                float d1 = d * (sm1 & 0xFF), m1 = min * (sm1 >> 8);
                float d2 = d * (sm2 & 0xFF), m2 = min * (sm2 >> 8);
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d1 * ((b[ql + l] & 0xF) + ((b[qh + l] & u1) != 0 ? 16 : 0)) - m1;
                }
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d2 * (((b[ql + l] & 0xFF) >> 4) + ((b[qh + l] & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }

    /** Shared part of the Q4_K/Q5_K reference quantisers: scales, mins and levels (0..nmax) of one super-block. */
    private static void quantSuperBlock(float[] x, int xo, byte[] b, int bo, byte[] L, int nmax,
                                        float rmin, float rdelta, int nstep) {
        float[] weights = new float[32];
        float[] mins = new float[8], scales = new float[8], theMin = new float[1];
        byte[] laux = new byte[32];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; ++j) {
            int xs = xo + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; ++l) sumX2 += x[xs + l] * x[xs + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; ++l) weights[l] = avX + Math.abs(x[xs + l]);
            scales[j] = ScaleSearch.makeQkx2Quants(32, nmax, x, xs, weights, L, 32 * j, theMin, laux,
                    rmin, rdelta, nstep, false);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        int s = bo + 4;
        for (int j = 0; j < 8; ++j) {
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            if (j < 4) {
                b[s + j] = (byte) ls;
                b[s + j + 4] = (byte) lm;
            } else {
                b[s + j + 4] = (byte) ((ls & 0xF) | (lm & 0xF) << 4);
                b[s + j - 4] |= (byte) ((ls >> 4) << 6);
                b[s + j] |= (byte) ((lm >> 4) << 6);
            }
        }
        putF16(b, bo, maxScale / 63.f);
        putF16(b, bo + 2, maxMin / 63.f);
        float dAll = f16(b, bo), mAll = f16(b, bo + 2);
        for (int j = 0; j < 8; ++j) {
            int sm = scaleMin(b, s, j);
            float d = dAll * (sm & 0xFF);
            if (d == 0) continue;
            float dm = mAll * (sm >> 8);
            for (int ii = 0; ii < 32; ++ii) {
                int l = nearestInt((x[xo + 32 * j + ii] + dm) / d);
                L[32 * j + ii] = (byte) Math.max(0, Math.min(nmax, l));
            }
        }
    }

    static void quantQ4K(float[] x, int xo, byte[] b, int bo, int nb) {
        byte[] L = new byte[QK_K];
        for (int i = 0; i < nb; i++, xo += QK_K, bo += Q4K_BYTES) {
            java.util.Arrays.fill(b, bo, bo + Q4K_BYTES, (byte) 0);
            quantSuperBlock(x, xo, b, bo, L, 15, -1.f, 0.1f, 20);
            int q = bo + 16;
            for (int j = 0; j < QK_K; j += 64, q += 32) {
                for (int l = 0; l < 32; ++l) b[q + l] = (byte) (L[j + l] | L[j + l + 32] << 4);
            }
        }
    }

    static void quantQ5K(float[] x, int xo, byte[] b, int bo, int nb) {
        byte[] L = new byte[QK_K];
        for (int i = 0; i < nb; i++, xo += QK_K, bo += Q5K_BYTES) {
            java.util.Arrays.fill(b, bo, bo + Q5K_BYTES, (byte) 0);
            quantSuperBlock(x, xo, b, bo, L, 31, -0.5f, 0.1f, 15);
            int qh = bo + 16, ql = bo + 48;
            int m1 = 1, m2 = 2;
            for (int n = 0; n < QK_K; n += 64, m1 <<= 2, m2 <<= 2, ql += 32) {
                for (int j = 0; j < 32; ++j) {
                    int l1 = L[n + j], l2 = L[n + j + 32];
                    if (l1 > 15) {
                        l1 -= 16;
                        b[qh + j] |= (byte) m1;
                    }
                    if (l2 > 15) {
                        l2 -= 16;
                        b[qh + j] |= (byte) m2;
                    }
                    b[ql + j] = (byte) (l1 | l2 << 4);
                }
            }
        }
    }
}
