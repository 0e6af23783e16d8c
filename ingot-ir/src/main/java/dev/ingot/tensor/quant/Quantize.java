package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Quantisation of one row from float32, bit for bit as llama.cpp's {@code quantize_row_*_ref} (the path
 * llama-quantize takes without an importance matrix). Thread-safe.
 */
public final class Quantize {
    private Quantize() {}

    /** Whether {@link #row} handles {@code type}. */
    public static boolean supports(DType type) {
        return switch (type) {
            case F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K -> true;
            default -> false;
        };
    }

    /**
     * Quantises {@code src[srcOffset..srcOffset+n)} to {@code type}, writing {@code type.rowBytes(n)} bytes
     * at {@code dst[dstByteOffset..]}.
     *
     * @throws IllegalArgumentException if {@code n} is not a multiple of the block size or the type is unsupported
     */
    public static void row(DType type, float[] src, int srcOffset, int n, MemorySegment dst, long dstByteOffset) {
        int bytes = Math.toIntExact(type.rowBytes(n));
        byte[] buf = new byte[bytes];
        row(type, src, srcOffset, n, buf, 0);
        MemorySegment.copy(buf, 0, dst, ValueLayout.JAVA_BYTE, dstByteOffset, bytes);
    }

    /** As {@link #row(DType, float[], int, int, MemorySegment, long)} into a byte array. */
    public static void row(DType type, float[] src, int srcOffset, int n, byte[] dst, int dstOffset) {
        int nb = Math.toIntExact(type.rowBytes(n) / type.blockBytes());
        switch (type) {
            case F32 -> FloatCodecs.quantF32(src, srcOffset, dst, dstOffset, n);
            case F16 -> FloatCodecs.quantF16(src, srcOffset, dst, dstOffset, n);
            case BF16 -> FloatCodecs.quantBf16(src, srcOffset, dst, dstOffset, n);
            case Q4_0 -> LegacyQuants.quantQ4_0(src, srcOffset, dst, dstOffset, nb);
            case Q4_1 -> LegacyQuants.quantQ4_1(src, srcOffset, dst, dstOffset, nb);
            case Q5_0 -> LegacyQuants.quantQ5_0(src, srcOffset, dst, dstOffset, nb);
            case Q5_1 -> LegacyQuants.quantQ5_1(src, srcOffset, dst, dstOffset, nb);
            case Q8_0 -> LegacyQuants.quantQ8_0(src, srcOffset, dst, dstOffset, nb);
            case Q8_1 -> LegacyQuants.quantQ8_1(src, srcOffset, dst, dstOffset, nb);
            case Q2_K -> KQuants23.quantQ2K(src, srcOffset, dst, dstOffset, nb);
            case Q3_K -> KQuants23.quantQ3K(src, srcOffset, dst, dstOffset, nb);
            case Q4_K -> KQuants45.quantQ4K(src, srcOffset, dst, dstOffset, nb);
            case Q5_K -> KQuants45.quantQ5K(src, srcOffset, dst, dstOffset, nb);
            case Q6_K -> KQuants6.quant(src, srcOffset, dst, dstOffset, nb);
            case Q8_K -> Q8K.quant(src, srcOffset, dst, dstOffset, nb);
            default -> throw new IllegalArgumentException("no quantiser for " + type);
        }
    }

    /** Quantises a whole float array (a multiple of the block size) into a new byte array. */
    public static byte[] all(DType type, float[] src) {
        byte[] out = new byte[Math.toIntExact(type.rowBytes(src.length))];
        row(type, src, 0, src.length, out, 0);
        return out;
    }
}
