package dev.ingot.kernel.linear;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Random weight matrices [N, K] in GGML block layouts for tests and benchmarks: random quant bytes (every
 * bit pattern of a quant is a valid weight) with the fp16 scale fields overwritten by finite values of
 * realistic size (~0.01), so no NaN/inf enters the comparison.
 */
public final class RandomWeights {
    private RandomWeights() {}

    public static MemorySegment of(Arena arena, DType t, int N, int K, Random r) {
        long rb = t.rowBytes(K);
        MemorySegment w = arena.allocate(rb * N, 64);
        switch (t) {
            case F32 -> { for (long i = 0; i < (long) N * K; i++) w.set(JAVA_FLOAT_UNALIGNED, 4 * i, r.nextFloat() * 2 - 1); }
            case F16 -> { for (long i = 0; i < (long) N * K; i++) w.set(JAVA_SHORT_UNALIGNED, 2 * i, Float.floatToFloat16(r.nextFloat() * 2 - 1)); }
            case BF16 -> { for (long i = 0; i < (long) N * K; i++) w.set(JAVA_SHORT_UNALIGNED, 2 * i, (short) (Float.floatToIntBits(r.nextFloat() * 2 - 1) >>> 16)); }
            default -> {
                byte[] bytes = new byte[(int) Math.min(w.byteSize(), 1 << 24)];
                for (long o = 0; o < w.byteSize(); o += bytes.length) {
                    r.nextBytes(bytes);
                    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, w, o, Math.min(bytes.length, w.byteSize() - o));
                }
                long blocks = (long) N * K / t.blockSize();
                for (long b = 0; b < blocks; b++) {
                    long o = b * t.blockBytes();
                    switch (t) {
                        case Q8_0, Q4_0 -> w.set(JAVA_SHORT_UNALIGNED, o, scale(r));
                        case Q4_K -> { w.set(JAVA_SHORT_UNALIGNED, o, scale(r)); w.set(JAVA_SHORT_UNALIGNED, o + 2, scale(r)); }
                        case Q6_K -> w.set(JAVA_SHORT_UNALIGNED, o + 208, scale(r));
                        default -> throw new IllegalArgumentException(t.toString());
                    }
                }
            }
        }
        return w;
    }

    private static short scale(Random r) { return Float.floatToFloat16(0.001f + 0.02f * r.nextFloat()); }
}
