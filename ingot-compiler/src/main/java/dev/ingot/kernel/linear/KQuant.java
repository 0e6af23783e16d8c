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
}
