package dev.ingot.ir;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads elements of plain (non-quantised) dtypes from little-endian segments of any alignment. BF16 is the top
 * half of an F32; F16 converts by {@link Float#float16ToFloat}.
 */
public final class SegmentReader {
    private SegmentReader() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Element {@code i} as a double (integers and BOOL exactly up to 2^53). */
    public static double getDouble(DType t, MemorySegment s, long i) {
        return switch (t) {
            case F32 -> s.get(F32, i * 4);
            case F64 -> s.get(F64, i * 8);
            case F16 -> Float.float16ToFloat(s.get(I16, i * 2));
            case BF16 -> Float.intBitsToFloat((s.get(I16, i * 2) & 0xFFFF) << 16);
            default -> getLong(t, s, i);
        };
    }

    /** Element {@code i} of an integer or BOOL dtype. */
    public static long getLong(DType t, MemorySegment s, long i) {
        return switch (t) {
            case I8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            case I16 -> s.get(I16, i * 2);
            case I32 -> s.get(I32, i * 4);
            case I64 -> s.get(I64, i * 8);
            default -> {
                if (t.isFloatingPoint()) yield (long) getDouble(t, s, i);
                throw new IllegalArgumentException("cannot read element of " + t + " (quantised types are read by row)");
            }
        };
    }

    /** Writes element {@code i} of a plain dtype (F16/BF16 round to nearest even). */
    public static void put(DType t, MemorySegment s, long i, double v) {
        switch (t) {
            case F32 -> s.set(F32, i * 4, (float) v);
            case F64 -> s.set(F64, i * 8, v);
            case F16 -> s.set(I16, i * 2, Float.floatToFloat16((float) v));
            case BF16 -> s.set(I16, i * 2, (short) (Bf16.round((float) v) >>> 16));
            case I8, U8, BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (long) v);
            case I16 -> s.set(I16, i * 2, (short) (long) v);
            case I32 -> s.set(I32, i * 4, (int) (long) v);
            case I64 -> s.set(I64, i * 8, (long) v);
            default -> throw new IllegalArgumentException("cannot write element of " + t);
        }
    }

    /** Writes an integer or BOOL element exactly (I64 beyond 2^53 included); floats as {@link #put}. */
    public static void putLong(DType t, MemorySegment s, long i, long v) {
        switch (t) {
            case I8, U8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case I16 -> s.set(I16, i * 2, (short) v);
            case I32 -> s.set(I32, i * 4, (int) v);
            case I64 -> s.set(I64, i * 8, v);
            default -> put(t, s, i, v);
        }
    }

    /** BF16 rounding helper. */
    public static final class Bf16 {
        private Bf16() {}

        /** Bits of {@code f} rounded to the nearest BF16 (ties to even), as F32 bits with the low half zero. */
        public static int round(float f) {
            int b = Float.floatToRawIntBits(f);
            if (Float.isNaN(f)) return (b | 0x00400000) & 0xFFFF0000; // quiet NaN stays NaN
            int lsb = (b >>> 16) & 1;
            return (b + 0x7FFF + lsb) & 0xFFFF0000;
        }

        public static float roundToFloat(float f) { return Float.intBitsToFloat(round(f)); }
    }
}
