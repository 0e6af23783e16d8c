package dev.ingot.kernel.linear;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;

/**
 * Scalar twin of every SIMD linear kernel: one row-token dot product at a time, dequantising each element
 * as it is read (layouts as in ggml-common.h). Used when the vector module or a usable vector shape is
 * missing, or with {@code -Dingot.kernels=scalar}. Float accumulation, so results differ from the SIMD
 * kernels only by summation order.
 */
public final class ScalarLinear implements LinearKernel {
    private final DType dtype;

    public ScalarLinear(DType dtype) {
        if (!supports(dtype)) throw new IllegalArgumentException("no linear kernel for " + dtype);
        this.dtype = dtype;
    }

    public static boolean supports(DType t) {
        return switch (t) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K -> true;
            default -> false;
        };
    }

    @Override public DType dtype() { return dtype; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        long rb = dtype.rowBytes(K);
        for (int n = n0; n < n1; n++) {
            for (int t = 0; t < T; t++) {
                float s = dot(dtype, w, n * rb, K, x, xOff + t * xStride);
                y[yOff + t * yStride + n] = bias == null ? s : s + bias[n];
            }
        }
    }

    static float dot(DType t, MemorySegment w, long r, int K, float[] x, int xo) {
        return switch (t) {
            case F32 -> { float s = 0; for (int k = 0; k < K; k++) s += w.get(JAVA_FLOAT_UNALIGNED, r + 4L * k) * x[xo + k]; yield s; }
            case F16 -> { float s = 0; for (int k = 0; k < K; k++) s += Float.float16ToFloat(w.get(JAVA_SHORT_UNALIGNED, r + 2L * k)) * x[xo + k]; yield s; }
            case BF16 -> { float s = 0; for (int k = 0; k < K; k++) s += Float.intBitsToFloat(w.get(JAVA_SHORT_UNALIGNED, r + 2L * k) << 16) * x[xo + k]; yield s; }
            case Q8_0 -> dotQ8_0(w, r, K, x, xo);
            case Q4_0 -> dotQ4_0(w, r, K, x, xo);
            case Q4_K -> dotQ4K(w, r, K, x, xo);
            case Q6_K -> dotQ6K(w, r, K, x, xo);
            default -> throw new IllegalStateException(t.toString());
        };
    }

    private static float f16(MemorySegment w, long o) { return Float.float16ToFloat(w.get(JAVA_SHORT_UNALIGNED, o)); }

    private static int u8(MemorySegment w, long o) { return w.get(JAVA_BYTE, o) & 0xFF; }

    static float dotQ8_0(MemorySegment w, long r, int K, float[] x, int xo) {
        float s = 0;
        for (int b = 0; b < K / 32; b++) {
            long o = r + 34L * b;
            float bs = 0;
            for (int j = 0; j < 32; j++) bs += w.get(JAVA_BYTE, o + 2 + j) * x[xo + 32 * b + j];
            s += bs * f16(w, o);
        }
        return s;
    }

    /** Q4_0: element j < 16 is the low nibble of byte j, element j + 16 its high nibble; w = (q - 8) d. */
    static float dotQ4_0(MemorySegment w, long r, int K, float[] x, int xo) {
        float s = 0;
        for (int b = 0; b < K / 32; b++) {
            long o = r + 18L * b;
            int xb = xo + 32 * b;
            float bs = 0;
            for (int j = 0; j < 16; j++) {
                int q = u8(w, o + 2 + j);
                bs += ((q & 0xF) - 8) * x[xb + j] + ((q >>> 4) - 8) * x[xb + j + 16];
            }
            s += bs * f16(w, o);
        }
        return s;
    }

    /** Q4_K super-block (144 B): d, dmin (fp16), scales[12] (6-bit sc/m for 8 groups of 32), qs[128]. */
    static float dotQ4K(MemorySegment w, long r, int K, float[] x, int xo) {
        float s = 0;
        for (int b = 0; b < K / 256; b++) {
            long o = r + 144L * b;
            float d = f16(w, o), dmin = f16(w, o + 2);
            for (int g = 0; g < 8; g++) {
                float sc = d * KQuant.scaleK4(w, o + 4, g), m = dmin * KQuant.minK4(w, o + 4, g);
                long q = o + 16 + 32L * (g >> 1);
                int shift = (g & 1) * 4, xb = xo + 256 * b + 32 * g;
                float gs = 0, xs = 0;
                for (int l = 0; l < 32; l++) {
                    gs += ((u8(w, q + l) >>> shift) & 0xF) * x[xb + l];
                    xs += x[xb + l];
                }
                s += sc * gs - m * xs;
            }
        }
        return s;
    }

    /** Q6_K super-block (210 B): ql[128], qh[64], int8 scales[16], fp16 d; w = d * sc * (q6 - 32). */
    static float dotQ6K(MemorySegment w, long r, int K, float[] x, int xo) {
        float s = 0;
        for (int b = 0; b < K / 256; b++) {
            long o = r + 210L * b;
            float d = f16(w, o + 208);
            for (int e = 0; e < 256; e++) {
                s += d * KQuant.q6Scale(w, o, e) * KQuant.q6(w, o, e) * x[xo + 256 * b + e];
            }
        }
        return s;
    }
}
