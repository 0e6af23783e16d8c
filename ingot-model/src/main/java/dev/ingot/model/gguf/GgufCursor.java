package dev.ingot.model.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bounds-checked little-endian reader over a mapped file. Every read first checks that the bytes are
 * inside the file, so malformed input surfaces as a {@link GgufFormatException} naming the file, the
 * offset and what was being read, never as an out-of-bounds access. Counts read from the file are checked
 * against the bytes left ({@link #count}) before anything is allocated for them.
 */
final class GgufCursor {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Largest string or array a Java array can hold (with headroom for VM array headers). */
    static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 16;
    /**
     * Sanity limits, far above any real file (largest vocabularies: ~256k tokens, ~500k merges; chat templates:
     * kilobytes). Checking against the file size alone is not enough for multi-GiB files: a corrupt count
     * there could still ask for gigabytes of heap.
     */
    static final long MAX_STRING_BYTES = 1 << 26;
    static final long MAX_ARRAY_LENGTH = 1 << 26;

    private final Path file;
    private final MemorySegment seg;
    private final long size;
    private long pos;

    GgufCursor(Path file, MemorySegment seg) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    long pos() { return pos; }

    long remaining() { return size - pos; }

    MemorySegment segment() { return seg; }

    GgufFormatException error(String problem) {
        return new GgufFormatException(file, problem);
    }

    /** Ensures {@code n} more bytes exist; {@code what} names the item for the error message. */
    void need(long n, String what) throws GgufFormatException {
        if (n < 0 || n > size - pos) {
            throw error("truncated: " + what + " at offset " + pos + " needs " + n + " bytes but only "
                    + (size - pos) + " remain (file is " + size + " bytes)");
        }
    }

    /** Advances over {@code n} bytes that were already read another way (bulk array copies). */
    void skip(long n, String what) throws GgufFormatException {
        need(n, what);
        pos += n;
    }

    int u8(String what) throws GgufFormatException {
        need(1, what);
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, pos++));
    }

    int u16(String what) throws GgufFormatException {
        need(2, what);
        int v = Short.toUnsignedInt(seg.get(U16, pos));
        pos += 2;
        return v;
    }

    int i32(String what) throws GgufFormatException {
        need(4, what);
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    long i64(String what) throws GgufFormatException {
        need(8, what);
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    float f32(String what) throws GgufFormatException {
        return Float.intBitsToFloat(i32(what));
    }

    double f64(String what) throws GgufFormatException {
        return Double.longBitsToDouble(i64(what));
    }

    /**
     * Reads a u64 count of items that take at least {@code minItemBytes} each and checks that that many items
     * can fit in the rest of the file (and in a Java array). Unsigned values above 2^63 read as negative and fail.
     */
    int count(int minItemBytes, String what) throws GgufFormatException {
        long at = pos;
        long n = i64(what);
        long fit = (size - pos) / Math.max(1, minItemBytes);
        if (n < 0 || n > fit || n > MAX_ARRAY_LENGTH) {
            throw error("absurd " + what + " " + Long.toUnsignedString(n) + " at offset " + at + ": at most "
                    + Math.min(fit, MAX_ARRAY_LENGTH) + " (can fit in the " + (size - pos) + " bytes left, limit " + MAX_ARRAY_LENGTH + ")");
        }
        return (int) n;
    }

    /** A GGUF string: u64 byte length + UTF-8 bytes (no terminator). Malformed UTF-8 becomes U+FFFD. */
    String string(String what) throws GgufFormatException {
        long at = pos;
        long len = i64(what + " length");
        if (len < 0 || len > size - pos) {
            throw error("string length " + Long.toUnsignedString(len) + " of " + what + " at offset " + at
                    + " goes beyond the end of the file (" + (size - pos) + " bytes left)");
        }
        if (len > MAX_STRING_BYTES) {
            throw error("string length " + len + " of " + what + " at offset " + at + " exceeds the limit of " + MAX_STRING_BYTES + " bytes");
        }
        byte[] b = new byte[(int) len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, b.length);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }
}
