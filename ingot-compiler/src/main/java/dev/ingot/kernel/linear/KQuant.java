package dev.ingot.kernel.linear;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * Scalar decoding of the K-quant side data (ggml-common.h), shared by the SIMD kernels (per group of 32,
 * so the cost is amortised over 32 elements x tokens) and the scalar twin.
 */
final class KQuant {
    private KQuant() {}

    private static int u8(MemorySegment w, long o) { return w.get(JAVA_BYTE, o) & 0xFF; }

    /** get_scale_min_k4: the 6-bit scale of group j (0..7) from the 12 packed bytes at {@code sc}. */
    static int scaleK4(MemorySegment w, long sc, int j) {
        return j < 4 ? u8(w, sc + j) & 63 : (u8(w, sc + j + 4) & 0xF) | ((u8(w, sc + j - 4) >>> 6) << 4);
    }

    /** get_scale_min_k4: the 6-bit min of group j (0..7). */
    static int minK4(MemorySegment w, long sc, int j) {
        return j < 4 ? u8(w, sc + j + 4) & 63 : (u8(w, sc + j + 4) >>> 4) | ((u8(w, sc + j) >>> 6) << 4);
    }

    /**
     * Q6_K element e (0..255) of the super-block at o, as q6 - 32. Within each half of 128 (h = e / 128,
     * l = e % 32, quarter c = (e % 128) / 32): low 4 bits from ql[64h + 32(c & 1) + l] (nibble c / 2),
     * high 2 bits from qh[128 + 32h + l] bits 2c..2c+1.
     */
    static int q6(MemorySegment w, long o, int e) {
        int h = e >> 7, c = (e >> 5) & 3, l = e & 31;
        int lo = (u8(w, o + 64 * h + 32 * (c & 1) + l) >>> (4 * (c >> 1))) & 0xF;
        int hi = (u8(w, o + 128 + 32 * h + l) >>> (2 * c)) & 3;
        return (lo | hi << 4) - 32;
    }

    /** Q6_K int8 scale of element e: scales[8h + l / 16 + 2c] at o + 192. */
    static int q6Scale(MemorySegment w, long o, int e) {
        int h = e >> 7, c = (e >> 5) & 3, l = e & 31;
        return w.get(JAVA_BYTE, o + 192 + 8 * h + (l >> 4) + 2 * c);
    }

    // Register forms for the SIMD kernels: the 12 scale bytes of a Q4_K super-block read as one long (bytes
    // 0..7) and one int (bytes 8..11), the 16 Q6_K scales as two longs, then decoded with shifts. Two wide
    // reads instead of a dozen byte reads keep the kernels' C2 graphs under the inlining node budget.

    private static int byteK4(long lo, int hi, int k) { return k < 8 ? (int) (lo >>> (8 * k)) & 0xFF : (hi >>> (8 * (k - 8))) & 0xFF; }

    /** get_scale_min_k4 scale of group j from the packed scales (lo = bytes 0..7, hi = bytes 8..11). */
    static int scaleK4(long lo, int hi, int j) {
        return j < 4 ? byteK4(lo, hi, j) & 63 : (byteK4(lo, hi, j + 4) & 0xF) | ((byteK4(lo, hi, j - 4) >>> 6) << 4);
    }

    /** get_scale_min_k4 min of group j. */
    static int minK4(long lo, int hi, int j) {
        return j < 4 ? byteK4(lo, hi, j + 4) & 63 : (byteK4(lo, hi, j + 4) >>> 4) | ((byteK4(lo, hi, j) >>> 6) << 4);
    }

    /** Q6_K int8 scale k (0..15) from the scales read as two longs. */
    static int q6Scale(long lo, long hi, int k) { return (byte) ((k < 8 ? lo : hi) >>> (8 * (k & 7))); }
}
