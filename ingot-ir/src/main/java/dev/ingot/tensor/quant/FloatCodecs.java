package dev.ingot.tensor.quant;

import static dev.ingot.tensor.quant.Bits.*;

/** F32, F16 and BF16 rows, converted as ggml does (fp16 round-to-nearest-even; bf16 see {@link #toBf16}). */
final class FloatCodecs {
    private FloatCodecs() {}

    static void dequantF32(byte[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = f32(b, bo + 4 * i);
    }

    static void dequantF16(byte[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = f16(b, bo + 2 * i);
    }

    static void dequantBf16(byte[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = Float.intBitsToFloat(u16(b, bo + 2 * i) << 16);
    }

    static void quantF32(float[] x, int xo, byte[] b, int bo, int n) {
        for (int i = 0; i < n; i++) put32(b, bo + 4 * i, Float.floatToRawIntBits(x[xo + i]));
    }

    static void quantF16(float[] x, int xo, byte[] b, int bo, int n) {
        for (int i = 0; i < n; i++) putF16(b, bo + 2 * i, x[xo + i]);
    }

    static void quantBf16(float[] x, int xo, byte[] b, int bo, int n) {
        for (int i = 0; i < n; i++) put16(b, bo + 2 * i, toBf16(x[xo + i]));
    }

    /**
     * ggml_compute_fp32_to_bf16: NaN keeps its top 16 bits with the quiet bit (64) forced; everything
     * else rounds to nearest even by adding 0x7fff plus the lowest kept bit (overflow rounds to inf).
     */
    static int toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return ((u >>> 16) | 64) & 0xFFFF;
        return ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16) & 0xFFFF;
    }
}
