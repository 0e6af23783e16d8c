package dev.ingot.model.quant;

import dev.ingot.tensor.DType;

/**
 * Element-at-a-time dequantisation straight from the block layouts of ggml-common.h, written for tests:
 * finds element {@code i}'s block, sub-block, byte and bit position by index arithmetic. The float
 * expressions keep ggml's order ((d*sc)*q - dmin*m) so results are comparable bit for bit.
 */
final class NaiveDequant {
    private NaiveDequant() {}

    static int u8(byte[] b, int i) { return b[i] & 0xFF; }

    static float f16(byte[] b, int i) { return Float.float16ToFloat((short) (u8(b, i) | u8(b, i + 1) << 8)); }

    static float value(DType t, byte[] b, int i) {
        int blk = i / t.blockSize(), e = i % t.blockSize(), o = blk * t.blockBytes();
        return switch (t) {
            case Q8_0 -> b[o + 2 + e] * f16(b, o);
            case Q4_0 -> {
                int byt = u8(b, o + 2 + e % 16);
                int q = e < 16 ? byt & 15 : byt >> 4;
                yield (q - 8) * f16(b, o);
            }
            case Q4_K -> {
                int sub = e / 32;                       // 8 sub-blocks of 32
                int byt = u8(b, o + 16 + 32 * (sub / 2) + e % 32);
                int q = sub % 2 == 0 ? byt & 15 : byt >> 4;
                int sc, m;
                if (sub < 4) {
                    sc = u8(b, o + 4 + sub) & 63;
                    m = u8(b, o + 8 + sub) & 63;
                } else {
                    sc = (u8(b, o + 12 + sub - 4) & 15) | (u8(b, o + 4 + sub - 4) >> 6) << 4;
                    m = (u8(b, o + 12 + sub - 4) >> 4) | (u8(b, o + 8 + sub - 4) >> 6) << 4;
                }
                yield f16(b, o) * sc * q - f16(b, o + 2) * m;
            }
            case Q6_K -> {
                int half = e / 128, l = e % 128, k = l / 32, p = l % 32; // k-th 32-group of the half
                int lo = u8(b, o + 64 * half + p + 32 * (k & 1));
                int low4 = k < 2 ? lo & 15 : lo >> 4;
                int high2 = (u8(b, o + 128 + 32 * half + p) >> (2 * k)) & 3;
                int q = (low4 | high2 << 4) - 32;
                int sc = b[o + 192 + e / 16];            // one int8 scale per 16 elements
                yield f16(b, o + 208) * sc * q;
            }
            default -> throw new IllegalArgumentException("naive dequant not written for " + t);
        };
    }
}
