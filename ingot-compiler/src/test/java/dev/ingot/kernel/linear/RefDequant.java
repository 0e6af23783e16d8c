package dev.ingot.kernel.linear;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;

/**
 * Test reference: dequantise one row, transcribed loop for loop from ggml-quants.c {@code dequantize_row_*}
 * (written here, independently of the kernels, until {@code dev.ingot.tensor.quant.Dequant} is committed).
 */
final class RefDequant {
    private RefDequant() {}

    static float[] row(DType t, MemorySegment w, long o, int K) {
        float[] y = new float[K];
        switch (t) {
            case F32 -> { for (int k = 0; k < K; k++) y[k] = w.get(JAVA_FLOAT_UNALIGNED, o + 4L * k); }
            case F16 -> { for (int k = 0; k < K; k++) y[k] = Float.float16ToFloat(w.get(JAVA_SHORT_UNALIGNED, o + 2L * k)); }
            case BF16 -> { for (int k = 0; k < K; k++) y[k] = Float.intBitsToFloat((w.get(JAVA_SHORT_UNALIGNED, o + 2L * k) & 0xFFFF) << 16); }
            case Q8_0 -> {
                for (int i = 0; i < K / 32; i++) {
                    long b = o + 34L * i;
                    float d = h(w, b);
                    for (int j = 0; j < 32; j++) y[i * 32 + j] = w.get(JAVA_BYTE, b + 2 + j) * d;
                }
            }
            case Q4_0 -> {
                for (int i = 0; i < K / 32; i++) {
                    long b = o + 18L * i;
                    float d = h(w, b);
                    for (int j = 0; j < 16; j++) {
                        int x0 = (u(w, b + 2 + j) & 0x0F) - 8, x1 = (u(w, b + 2 + j) >> 4) - 8;
                        y[i * 32 + j] = x0 * d;
                        y[i * 32 + j + 16] = x1 * d;
                    }
                }
            }
            case Q4_K -> {
                for (int i = 0; i < K / 256; i++) {
                    long b = o + 144L * i, q = b + 16, sc = b + 4;
                    float d = h(w, b), min = h(w, b + 2);
                    int yi = i * 256, is = 0;
                    for (int j = 0; j < 256; j += 64) {
                        int[] sm1 = scaleMin(w, sc, is), sm2 = scaleMin(w, sc, is + 1);
                        float d1 = d * sm1[0], m1 = min * sm1[1], d2 = d * sm2[0], m2 = min * sm2[1];
                        for (int l = 0; l < 32; l++) y[yi++] = d1 * (u(w, q + l) & 0xF) - m1;
                        for (int l = 0; l < 32; l++) y[yi++] = d2 * (u(w, q + l) >> 4) - m2;
                        q += 32;
                        is += 2;
                    }
                }
            }
            case Q6_K -> {
                for (int i = 0; i < K / 256; i++) {
                    long b = o + 210L * i, ql = b, qh = b + 128, sc = b + 192;
                    float d = h(w, b + 208);
                    int yi = i * 256;
                    for (int n = 0; n < 256; n += 128) {
                        for (int l = 0; l < 32; l++) {
                            int is = l / 16;
                            int q1 = ((u(w, ql + l) & 0xF) | ((u(w, qh + l) & 3) << 4)) - 32;
                            int q2 = ((u(w, ql + l + 32) & 0xF) | (((u(w, qh + l) >> 2) & 3) << 4)) - 32;
                            int q3 = ((u(w, ql + l) >> 4) | (((u(w, qh + l) >> 4) & 3) << 4)) - 32;
                            int q4 = ((u(w, ql + l + 32) >> 4) | (((u(w, qh + l) >> 6) & 3) << 4)) - 32;
                            y[yi + l] = d * w.get(JAVA_BYTE, sc + is) * q1;
                            y[yi + l + 32] = d * w.get(JAVA_BYTE, sc + is + 2) * q2;
                            y[yi + l + 64] = d * w.get(JAVA_BYTE, sc + is + 4) * q3;
                            y[yi + l + 96] = d * w.get(JAVA_BYTE, sc + is + 6) * q4;
                        }
                        yi += 128;
                        ql += 64;
                        qh += 32;
                        sc += 8;
                    }
                }
            }
            default -> throw new IllegalArgumentException(t.toString());
        }
        return y;
    }

    private static float h(MemorySegment w, long o) { return Float.float16ToFloat(w.get(JAVA_SHORT_UNALIGNED, o)); }

    private static int u(MemorySegment w, long o) { return w.get(JAVA_BYTE, o) & 0xFF; }

    /** get_scale_min_k4 as in ggml-quants.c. */
    private static int[] scaleMin(MemorySegment w, long q, int j) {
        if (j < 4) return new int[] {u(w, q + j) & 63, u(w, q + j + 4) & 63};
        return new int[] {(u(w, q + j + 4) & 0xF) | ((u(w, q + j - 4) >> 6) << 4),
                (u(w, q + j + 4) >> 4) | ((u(w, q + j) >> 6) << 4)};
    }
}
