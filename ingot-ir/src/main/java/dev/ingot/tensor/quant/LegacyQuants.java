package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * The 32-element block formats Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1 (layouts in {@code package-info}).
 * Quantisers follow {@code quantize_row_*_ref} and dequantisers {@code dequantize_row_*} of ggml-quants.c
 * operation for operation, so results are bit-identical (Java float arithmetic is IEEE binary32 like
 * ggml's SSE code; ggml-base is compiled without FMA contraction).
 */
final class LegacyQuants {
    private LegacyQuants() {}

    static final int QK = 32;

    // ---------------------------------------------------------------- dequantisation

    static void dequantQ4_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 18, yo += QK) {
            float d = f16(b, bo);
            for (int j = 0; j < 16; j++) {
                int q = b[bo + 2 + j];
                y[yo + j] = ((q & 0x0F) - 8) * d;
                y[yo + j + 16] = (((q >> 4) & 0x0F) - 8) * d;
            }
        }
    }

    static void dequantQ4_1(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 20, yo += QK) {
            float d = f16(b, bo), m = f16(b, bo + 2);
            for (int j = 0; j < 16; j++) {
                int q = b[bo + 4 + j];
                y[yo + j] = (q & 0x0F) * d + m;
                y[yo + j + 16] = ((q >> 4) & 0x0F) * d + m;
            }
        }
    }

    static void dequantQ5_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 22, yo += QK) {
            float d = f16(b, bo);
            int qh = i32(b, bo + 2);
            for (int j = 0; j < 16; j++) {
                int q = b[bo + 6 + j];
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[yo + j] = (((q & 0x0F) | h0) - 16) * d;
                y[yo + j + 16] = ((((q >> 4) & 0x0F) | h1) - 16) * d;
            }
        }
    }

    static void dequantQ5_1(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 24, yo += QK) {
            float d = f16(b, bo), m = f16(b, bo + 2);
            int qh = i32(b, bo + 4);
            for (int j = 0; j < 16; j++) {
                int q = b[bo + 8 + j];
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[yo + j] = ((q & 0x0F) | h0) * d + m;
                y[yo + j + 16] = (((q >> 4) & 0x0F) | h1) * d + m;
            }
        }
    }

    static void dequantQ8_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 34, yo += QK) {
            float d = f16(b, bo);
            for (int j = 0; j < QK; j++) y[yo + j] = b[bo + 2 + j] * d;
        }
    }

    /** Q8_1: like Q8_0 plus {@code s = d * sum(qs)} (fp16) at byte 2, which dequantisation ignores. */
    static void dequantQ8_1(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 36, yo += QK) {
            float d = f16(b, bo);
            for (int j = 0; j < QK; j++) y[yo + j] = b[bo + 4 + j] * d;
        }
    }

    // ---------------------------------------------------------------- quantisation

    /** Absolute maximum and the signed value that has it (first occurrence wins, strict {@code <}). */
    private static float signedAbsMax(float[] x, int xo) {
        float amax = 0, max = 0;
        for (int j = 0; j < QK; j++) {
            float v = x[xo + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    static void quantQ4_0(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 18) {
            float max = signedAbsMax(x, xo);
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, truncToInt(x[xo + j] * id + 8.5f));
                int q1 = Math.min(15, truncToInt(x[xo + 16 + j] * id + 8.5f));
                b[bo + 2 + j] = (byte) (q0 | q1 << 4);
            }
        }
    }

    static void quantQ4_1(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 20) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            putF16(b, bo + 2, min);
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, truncToInt((x[xo + j] - min) * id + 0.5f));
                int q1 = Math.min(15, truncToInt((x[xo + 16 + j] - min) * id + 0.5f));
                b[bo + 4 + j] = (byte) (q0 | q1 << 4);
            }
        }
    }

    static void quantQ5_0(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 22) {
            float max = signedAbsMax(x, xo);
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(31, truncToInt(x[xo + j] * id + 16.5f));
                int q1 = Math.min(31, truncToInt(x[xo + 16 + j] * id + 16.5f));
                b[bo + 6 + j] = (byte) ((q0 & 0x0F) | (q1 & 0x0F) << 4);
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            put32(b, bo + 2, qh);
        }
    }

    static void quantQ5_1(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 24) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            putF16(b, bo + 2, min);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                // (uint8_t) cast without MIN in ggml: the largest value is 31.5 -> 31
                int q0 = truncToInt((x[xo + j] - min) * id + 0.5f) & 0xFF;
                int q1 = truncToInt((x[xo + 16 + j] - min) * id + 0.5f) & 0xFF;
                b[bo + 8 + j] = (byte) ((q0 & 0x0F) | (q1 & 0x0F) << 4);
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            put32(b, bo + 4, qh);
        }
    }

    static void quantQ8_0(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 34) {
            float amax = 0;
            for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[xo + j]));
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            for (int j = 0; j < QK; j++) b[bo + 2 + j] = (byte) (int) roundf(x[xo + j] * id);
        }
    }

    static void quantQ8_1(float[] x, int xo, byte[] b, int bo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, bo += 36) {
            float amax = 0;
            for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[xo + j]));
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            putF16(b, bo, d);
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = (int) roundf(x[xo + j] * id);
                int q1 = (int) roundf(x[xo + 16 + j] * id);
                b[bo + 4 + j] = (byte) q0;
                b[bo + 4 + 16 + j] = (byte) q1;
                sum += q0 + q1;
            }
            putF16(b, bo + 2, sum * d);
        }
    }
}
