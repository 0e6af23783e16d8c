package dev.ingot.tensor.quant;

/**
 * Little-endian byte access and the rounding helpers of ggml-quants.c, shared by the codec families.
 * Codecs work on {@code byte[]} blocks; {@link Dequant} and {@link Quantize} copy to and from memory segments.
 */
final class Bits {
    private Bits() {}

    static int u8(byte[] b, int i) { return b[i] & 0xFF; }

    static int u16(byte[] b, int i) { return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8; }

    static int i32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    /** An IEEE half at {@code b[i..i+1]} as float (exact, like GGML_FP16_TO_FP32). */
    static float f16(byte[] b, int i) { return Float.float16ToFloat((short) u16(b, i)); }

    static float f32(byte[] b, int i) { return Float.intBitsToFloat(i32(b, i)); }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    /** GGML_FP32_TO_FP16: round to nearest even (F16C {@code _cvtss_sh(x, 0)} and ggml's scalar path agree). */
    static void putF16(byte[] b, int i, float v) { put16(b, i, Float.floatToFloat16(v)); }

    /**
     * ggml's {@code nearest_int}: adds 1.5*2^23 so the float adder rounds to nearest even, then reads the
     * integer from the mantissa bits. Valid for |x| <= 4194303; outside that ggml asserts (debug only) and
     * returns the same garbage this does.
     */
    static int nearestInt(float x) {
        float v = x + 12582912f;
        return (Float.floatToRawIntBits(v) & 0x007fffff) - 0x00400000;
    }

    /** C {@code roundf}: round half away from zero. Done in double so {@code |x| + 0.5} is exact. */
    static float roundf(float x) {
        double a = Math.floor(Math.abs((double) x) + 0.5);
        return (float) Math.copySign(a, x);
    }

    /** C conversion of a float to {@code int8_t}/{@code uint8_t}: truncation toward zero (in range here). */
    static int truncToInt(float x) { return (int) x; }
}
