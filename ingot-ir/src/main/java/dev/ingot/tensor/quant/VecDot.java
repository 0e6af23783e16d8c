package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.ingot.tensor.quant.Bits.*;

/**
 * Dot products of a quantised weight row with an activation row in the weight's "vec-dot" type, as
 * llama.cpp's CPU backend computes them ({@code ggml_vec_dot_*_generic} in ggml-cpu/quants.c): the
 * activations are first quantised to {@link #activationType} (Q8_0, Q8_1, Q8_K or F16), the block
 * products are exact integer sums, and the float scaling and accumulation follow the generic C order.
 * llama.cpp's AVX2/NEON variants produce the same integer sums but may add the float terms in another
 * order, so against them expect equality up to float rounding (~1e-6 relative), not bit for bit.
 * This is the oracle for kernels that emulate llama.cpp's activation quantisation.
 */
public final class VecDot {
    private VecDot() {}

    /** The type llama.cpp converts activations to before a dot product with weights of {@code weight} type. */
    public static DType activationType(DType weight) {
        return switch (weight) {
            case Q4_0, Q5_0, Q8_0 -> DType.Q8_0;
            case Q4_1, Q5_1 -> DType.Q8_1;
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> DType.Q8_K;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
            case F32 -> DType.F32;
            default -> throw new IllegalArgumentException("no vec-dot for " + weight);
        };
    }

    /** Quantises an activation row for dot products with {@code weight}-typed rows. */
    public static byte[] quantizeActivations(DType weight, float[] x, int off, int n) {
        DType t = activationType(weight);
        byte[] out = new byte[Math.toIntExact(t.rowBytes(n))];
        Quantize.row(t, x, off, n, out, 0);
        return out;
    }

    /** Dot product of the weight row at {@code w[wOff..]} with activations from {@link #quantizeActivations}. */
    public static float dot(DType weight, MemorySegment w, long wOff, byte[] act, int n) {
        byte[] row = new byte[Math.toIntExact(weight.rowBytes(n))];
        MemorySegment.copy(w, ValueLayout.JAVA_BYTE, wOff, row, 0, row.length);
        return dot(weight, row, 0, act, n);
    }

    /** As {@link #dot(DType, MemorySegment, long, byte[], int)} with the weight row in a byte array. */
    public static float dot(DType weight, byte[] w, int wo, byte[] a, int n) {
        int nb = Math.toIntExact(weight.rowBytes(n) / weight.blockBytes());
        return switch (weight) {
            case Q8_0 -> q8_0(w, wo, a, nb);
            case Q4_0 -> q4_0(w, wo, a, nb);
            case Q5_0 -> q5_0(w, wo, a, nb);
            case Q4_1, Q5_1 -> q4_1q5_1(weight == DType.Q5_1, w, wo, a, nb);
            case Q4_K, Q5_K -> q4_Kq5_K(weight == DType.Q5_K, w, wo, a, nb);
            case Q6_K -> q6_K(w, wo, a, nb);
            case F16, BF16, F32 -> floats(weight, w, wo, a, n);
            default -> throw new IllegalArgumentException("no vec-dot for " + weight);
        };
    }

    private static float q8_0(byte[] x, int xo, byte[] y, int yo, int nb) {
        float sumf = 0;
        for (int i = 0; i < nb; i++, xo += 34, yo += 34) {
            int sumi = 0;
            for (int j = 0; j < 32; j++) sumi += x[xo + 2 + j] * y[yo + 2 + j];
            sumf += sumi * (f16(x, xo) * f16(y, yo));
        }
        return sumf;
    }

    private static float q8_0(byte[] x, int xo, byte[] y, int nb) { return q8_0(x, xo, y, 0, nb); }

    private static float q4_0(byte[] x, int xo, byte[] y, int nb) {
        float sumf = 0;
        for (int i = 0, yo = 0; i < nb; i++, xo += 18, yo += 34) {
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < 16; j++) {
                int q = x[xo + 2 + j] & 0xFF;
                sumi0 += ((q & 0x0F) - 8) * y[yo + 2 + j];
                sumi1 += ((q >> 4) - 8) * y[yo + 2 + j + 16];
            }
            sumf += (sumi0 + sumi1) * f16(x, xo) * f16(y, yo);
        }
        return sumf;
    }

    private static float q5_0(byte[] x, int xo, byte[] y, int nb) {
        float sumf = 0;
        for (int i = 0, yo = 0; i < nb; i++, xo += 22, yo += 34) {
            int qh = i32(x, xo + 2);
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < 16; j++) {
                int q = x[xo + 6 + j] & 0xFF;
                int x0 = ((q & 0x0F) | ((qh >>> j) & 1) << 4) - 16;
                int x1 = ((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16;
                sumi0 += x0 * y[yo + 2 + j];
                sumi1 += x1 * y[yo + 2 + j + 16];
            }
            sumf += (f16(x, xo) * f16(y, yo)) * (sumi0 + sumi1);
        }
        return sumf;
    }

    /** Q4_1 (18+2 bytes, no qh) and Q5_1 with Q8_1 activations: d*dy*sumi + m*s. */
    private static float q4_1q5_1(boolean five, byte[] x, int xo, byte[] y, int nb) {
        int bb = five ? 24 : 20, qs = five ? 8 : 4;
        float sumf = 0;
        for (int i = 0, yo = 0; i < nb; i++, xo += bb, yo += 36) {
            int qh = five ? i32(x, xo + 4) : 0;
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < 16; j++) {
                int q = x[xo + qs + j] & 0xFF;
                int x0 = (q & 0x0F) | ((qh >>> j) & 1) << 4;
                int x1 = (q >> 4) | ((qh >>> (j + 16)) & 1) << 4;
                sumi0 += x0 * y[yo + 4 + j];
                sumi1 += x1 * y[yo + 4 + j + 16];
            }
            sumf += (f16(x, xo) * f16(y, yo)) * (sumi0 + sumi1) + f16(x, xo + 2) * f16(y, yo + 2);
        }
        return sumf;
    }

    /** Q4_K/Q5_K with Q8_K: eight int32 lanes per super-block as the generic C (lane = element % 8). */
    private static float q4_Kq5_K(boolean five, byte[] x, int xo, byte[] y, int nb) {
        int bb = five ? KQuants45.Q5K_BYTES : KQuants45.Q4K_BYTES;
        int[] a = new int[256];
        float[] sums = new float[8];
        int[] aux32 = new int[8];
        float sumf = 0;
        for (int i = 0, yo = 0; i < nb; i++, xo += bb, yo += Q8K.BYTES) {
            int ql = xo + (five ? 48 : 16), qh = xo + 16;
            for (int j = 0, e = 0, m = 1; j < 4; j++, ql += 32) {
                for (int l = 0; l < 32; l++) a[e + l] = (x[ql + l] & 0xF) + (five && (x[qh + l] & m) != 0 ? 16 : 0);
                e += 32;
                m <<= 1;
                for (int l = 0; l < 32; l++) a[e + l] = ((x[ql + l] & 0xFF) >> 4) + (five && (x[qh + l] & m) != 0 ? 16 : 0);
                e += 32;
                m <<= 1;
            }
            int sumi = 0;
            for (int j = 0; j < 16; j++) sumi += (short) u16(y, yo + 260 + 2 * j) * (KQuants45.scaleMin(x, xo + 4, j / 2) >> 8);
            java.util.Arrays.fill(aux32, 0);
            for (int j = 0, q8 = yo + 4; j < 8; j++) {
                int scale = KQuants45.scaleMin(x, xo + 4, j) & 0xFF;
                for (int k = 0; k < 32; k++, q8++) aux32[k & 7] += scale * (y[q8] * a[32 * j + k]);
            }
            float d = f16(x, xo) * f32(y, yo);
            for (int l = 0; l < 8; l++) sums[l] += d * aux32[l];
            float dmin = f16(x, xo + 2) * f32(y, yo);
            sumf -= dmin * sumi;
        }
        for (int l = 0; l < 8; l++) sumf += sums[l];
        return sumf;
    }

    private static float q6_K(byte[] x, int xo, byte[] y, int nb) {
        int[] a = new int[256];
        float[] sums = new float[8];
        int[] aux32 = new int[8];
        for (int i = 0, yo = 0; i < nb; i++, xo += KQuants6.BYTES, yo += Q8K.BYTES) {
            for (int j = 0, ql = xo, qh = xo + 128; j < 256; j += 128, ql += 64, qh += 32) {
                for (int l = 0; l < 32; l++) {
                    int h = x[qh + l] & 0xFF, lo0 = x[ql + l] & 0xFF, lo1 = x[ql + l + 32] & 0xFF;
                    a[j + l] = ((lo0 & 0xF) | (h & 3) << 4) - 32;
                    a[j + l + 32] = ((lo1 & 0xF) | ((h >> 2) & 3) << 4) - 32;
                    a[j + l + 64] = ((lo0 >> 4) | ((h >> 4) & 3) << 4) - 32;
                    a[j + l + 96] = ((lo1 >> 4) | ((h >> 6) & 3) << 4) - 32;
                }
            }
            java.util.Arrays.fill(aux32, 0);
            for (int j = 0, q8 = yo + 4; j < 16; j++) {
                int scale = x[xo + 192 + j];
                for (int k = 0; k < 16; k++, q8++) aux32[k & 7] += scale * (y[q8] * a[16 * j + k]);
            }
            float d = f16(x, xo + 208) * f32(y, yo);
            for (int l = 0; l < 8; l++) sums[l] += d * aux32[l];
        }
        float sumf = 0;
        for (int l = 0; l < 8; l++) sumf += sums[l];
        return sumf;
    }

    /** ggml_vec_dot_f16/bf16/f32: float products accumulated in double (ggml_float), rounded once. */
    private static float floats(DType t, byte[] x, int xo, byte[] y, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float a, b;
            switch (t) {
                case F16 -> { a = f16(x, xo + 2 * i); b = f16(y, 2 * i); }
                case BF16 -> { a = Float.intBitsToFloat(u16(x, xo + 2 * i) << 16); b = Float.intBitsToFloat(u16(y, 2 * i) << 16); }
                default -> { a = f32(x, xo + 4 * i); b = f32(y, 4 * i); }
            }
            sum += a * b;
        }
        return (float) sum;
    }
}
