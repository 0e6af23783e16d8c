package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Dequantisation of one row to float32, bit for bit as llama.cpp's {@code dequantize_row_*} (see the
 * package documentation for layouts). Thread-safe; allocates one row-sized byte buffer per call for
 * quantised types.
 */
public final class Dequant {
    private Dequant() {}

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Whether {@link #row} handles {@code type}. */
    public static boolean supports(DType type) {
        return switch (type) {
            case F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K -> true;
            default -> false;
        };
    }

    /**
     * Dequantises {@code n} elements stored as {@code type} at {@code src[srcByteOffset..]} into
     * {@code dst[dstOffset..dstOffset+n)}.
     *
     * @throws IllegalArgumentException if {@code n} is not a multiple of the block size or the type is unsupported
     */
    public static void row(DType type, MemorySegment src, long srcByteOffset, float[] dst, int dstOffset, int n) {
        if (type == DType.F32) {
            MemorySegment.copy(src, F32_LE, srcByteOffset, dst, dstOffset, n);
            return;
        }
        int bytes = Math.toIntExact(type.rowBytes(n));
        byte[] buf = new byte[bytes];
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcByteOffset, buf, 0, bytes);
        row(type, buf, 0, dst, dstOffset, n);
    }

    /** As {@link #row(DType, MemorySegment, long, float[], int, int)} from a byte array. */
    public static void row(DType type, byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int nb = Math.toIntExact(type.rowBytes(n) / type.blockBytes());
        switch (type) {
            case F32 -> FloatCodecs.dequantF32(src, srcOffset, dst, dstOffset, n);
            case F16 -> FloatCodecs.dequantF16(src, srcOffset, dst, dstOffset, n);
            case BF16 -> FloatCodecs.dequantBf16(src, srcOffset, dst, dstOffset, n);
            case Q4_0 -> LegacyQuants.dequantQ4_0(src, srcOffset, dst, dstOffset, nb);
            case Q4_1 -> LegacyQuants.dequantQ4_1(src, srcOffset, dst, dstOffset, nb);
            case Q5_0 -> LegacyQuants.dequantQ5_0(src, srcOffset, dst, dstOffset, nb);
            case Q5_1 -> LegacyQuants.dequantQ5_1(src, srcOffset, dst, dstOffset, nb);
            case Q8_0 -> LegacyQuants.dequantQ8_0(src, srcOffset, dst, dstOffset, nb);
            case Q8_1 -> LegacyQuants.dequantQ8_1(src, srcOffset, dst, dstOffset, nb);
            case Q2_K -> KQuants23.dequantQ2K(src, srcOffset, dst, dstOffset, nb);
            case Q3_K -> KQuants23.dequantQ3K(src, srcOffset, dst, dstOffset, nb);
            case Q4_K -> KQuants45.dequantQ4K(src, srcOffset, dst, dstOffset, nb);
            case Q5_K -> KQuants45.dequantQ5K(src, srcOffset, dst, dstOffset, nb);
            case Q6_K -> KQuants6.dequant(src, srcOffset, dst, dstOffset, nb);
            case Q8_K -> Q8K.dequant(src, srcOffset, dst, dstOffset, nb);
            default -> throw new IllegalArgumentException("no dequantiser for " + type);
        }
    }

    /** Dequantises a whole tensor of {@code n} elements (rows laid out back to back) into a new array. */
    public static float[] all(DType type, MemorySegment src, long srcByteOffset, int n) {
        float[] out = new float[n];
        row(type, src, srcByteOffset, out, 0, n);
        return out;
    }
}
