package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * Q6_K: 256-element super-blocks, sixteen 16-element sub-blocks with signed 8-bit scales and one fp16
 * super-scale; value = d * scale[sub] * (q - 32), q 6 bits: low 4 in {@code ql}, high 2 in {@code qh}.
 * Layout (210 bytes): ql[128] | qh[64] | scales[16] (int8) | d (f16). Within each 128-element half,
 * element l (0..31) + 32k (k=0..3) has its low nibble in ql[l + 32*(k&1)] (k>=2: high nibble) and its
 * high bits in qh[l] bits 2k..2k+1.
 */
final class KQuants6 {
    private KQuants6() {}

    static final int QK_K = 256;
    static final int BYTES = 210;

    static void dequant(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += BYTES) {
            float d = f16(b, bo + 208);
            int ql = bo, qh = bo + 128, sc = bo + 192;
            for (int n = 0; n < QK_K; n += 128, yo += 128, ql += 64, qh += 32, sc += 8) {
                for (int l = 0; l < 32; ++l) {
                    int is = l / 16;
                    int h = b[qh + l] & 0xFF;
                    int lo0 = b[ql + l] & 0xFF, lo1 = b[ql + l + 32] & 0xFF;
                    int q1 = ((lo0 & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((lo1 & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                    int q3 = ((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32;
                    int q4 = ((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32;
                    // (d * sc) * q: the C expression d * sc[is] * q1 associates left
                    y[yo + l] = d * b[sc + is] * q1;
                    y[yo + l + 32] = d * b[sc + is + 2] * q2;
                    y[yo + l + 64] = d * b[sc + is + 4] * q3;
                    y[yo + l + 96] = d * b[sc + is + 6] * q4;
                }
            }
        }
    }

    /** quantize_row_q6_K_ref: make_qx_quants(16, 32, rmse 1) per sub-block, 8-bit scales, re-round. */
    static void quant(float[] x, int xo, byte[] b, int bo, int nb) {
        byte[] L = new byte[QK_K];
        float[] scales = new float[16];
        for (int i = 0; i < nb; i++, xo += QK_K, bo += BYTES) {
            float maxScale = 0, maxAbsScale = 0;
            for (int ib = 0; ib < 16; ++ib) {
                float scale = ScaleSearch.makeQxQuants(16, 32, x, xo + 16 * ib, L, 16 * ib, 1);
                scales[ib] = scale;
                float abs = Math.abs(scale);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scale;
                }
            }
            java.util.Arrays.fill(b, bo, bo + BYTES, (byte) 0);
            if (maxAbsScale < ScaleSearch.GROUP_MAX_EPS) continue; // all-zero block, d = 0
            float iscale = -128.f / maxScale;
            putF16(b, bo + 208, 1 / iscale);
            for (int ib = 0; ib < 16; ++ib) {
                b[bo + 192 + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));
            }
            float dAll = f16(b, bo + 208);
            for (int j = 0; j < 16; ++j) {
                float d = dAll * b[bo + 192 + j];
                if (d == 0) continue;
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    L[16 * j + ii] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
                }
            }
            int ql = bo, qh = bo + 128;
            for (int j = 0; j < QK_K; j += 128, ql += 64, qh += 32) {
                for (int l = 0; l < 32; ++l) {
                    int l0 = L[j + l], l1 = L[j + l + 32], l2 = L[j + l + 64], l3 = L[j + l + 96];
                    b[ql + l] = (byte) ((l0 & 0xF) | (l2 & 0xF) << 4);
                    b[ql + l + 32] = (byte) ((l1 & 0xF) | (l3 & 0xF) << 4);
                    b[qh + l] = (byte) ((l0 >> 4) | (l1 >> 4) << 2 | (l2 >> 4) << 4 | (l3 >> 4) << 6);
                }
            }
        }
    }
}
