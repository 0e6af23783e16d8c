package dev.ingot.kernel.linear;

import static dev.ingot.kernel.Simd.B;
import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.I;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD linear over Q6_K weights. Super-block (210 bytes, 256 elements): ql[128] low 4 bits, qh[64] high 2 bits,
 * int8 scales[16] (one per 16 elements), fp16 d; w = d * sc * (q6 - 32). Group j of 32 (h = j / 4, c = j % 4)
 * reads ql[64h + 32(c & 1) + l] nibble c / 2 and qh[32h + l] bits 2c..2c+1, scale scales[8h + l/16 + 2c].
 * Per (row, super-block) d and the 16 scales are read with three scalar loads (see Q4_KLinear for why few
 * scalar accesses matter); the L-lane helper {@link #q6} widens and assembles the 6-bit quants.
 * Register tiles: 1 row x 4 tokens (prefill), 1 x 1 (decode and tails); wider row tiles
 * passed the C2 node budget with this format's heavier decode. Scalar twin: {@link ScalarLinear}.
 */
public final class Q6_KLinear implements LinearKernel {
    private static final int P = 32 / L, SB = 210;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.Q6_K; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        int nsb = K / 256;
        long rb = (long) nsb * SB;
        int n = n0;
        for (; n < n1; n++) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                tile1x4(w, n * rb, nsb, x, xOff + t * xStride, xStride, y, yOff + t * yStride + n, yStride, bias, n);
            }
            for (; t < T; t++) {
                float s = dot(w, n * rb, nsb, x, xOff + t * xStride);
                y[yOff + t * yStride + n] = bias == null ? s : s + bias[n];
            }
        }
    }

    private static float f16(MemorySegment s, long o) { return Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o)); }

    /** L bytes at o widened to int lanes (sign-extended; callers mask). */
    private static IntVector bytes(MemorySegment s, long o) {
        return (IntVector) ByteVector.fromMemorySegment(B, s, o, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    /** L 6-bit quants: ql nibble (shift qls) | qh 2 bits (shift qhs) << 4, as ds * (q - 32). */
    static FloatVector q6(MemorySegment s, long ql, int qls, long qh, int qhs, float ds) {
        IntVector lo = bytes(s, ql).lanewise(VectorOperators.LSHR, qls).and(0xF);
        IntVector hi = bytes(s, qh).lanewise(VectorOperators.LSHR, qhs).and(3);
        return ((FloatVector) lo.or(hi.lanewise(VectorOperators.LSHL, 4)).convertShape(VectorOperators.I2F, F, 0)).fma(ds, -32f * ds);
    }

    private static float dot(MemorySegment s, long r, int nsb, float[] x, int xo) {
        FloatVector a = FloatVector.zero(F);
        for (int b = 0; b < nsb; b++) {
            long o0 = r + (long) SB * b;
            float d0 = f16(s, o0 + 208);
            long sl0 = s.get(JAVA_LONG_UNALIGNED, o0 + 192), sh0 = s.get(JAVA_LONG_UNALIGNED, o0 + 200);
            for (int j = 0; j < 8; j++) {
                int h = j >> 2, c = j & 3, qls = 4 * (c >> 1), qhs = 2 * c, ql = 64 * h + 32 * (c & 1), qh = 128 + 32 * h;
                for (int p = 0; p < P; p++) {
                    int k = 8 * h + ((p * L) >> 4) + 2 * c;
                    float ds0 = d0 * KQuant.q6Scale(sl0, sh0, k);
                    a = q6(s, o0 + ql + p * L, qls, o0 + qh + p * L, qhs, ds0).fma(FloatVector.fromArray(F, x, xo + 256 * b + 32 * j + p * L), a);
                }
            }
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    /** Row n x tokens t..t+3: 4 accumulators; each dequantised weight vector feeds 4 FMAs. */
    private static void tile1x4(MemorySegment s, long r, int nsb, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < nsb; b++) {
            long o0 = r + (long) SB * b;
            float d0 = f16(s, o0 + 208);
            long sl0 = s.get(JAVA_LONG_UNALIGNED, o0 + 192), sh0 = s.get(JAVA_LONG_UNALIGNED, o0 + 200);
            for (int j = 0; j < 8; j++) {
                int h = j >> 2, c = j & 3, qls = 4 * (c >> 1), qhs = 2 * c, ql = 64 * h + 32 * (c & 1), qh = 128 + 32 * h;
                for (int p = 0; p < P; p++) {
                    float ds0 = d0 * KQuant.q6Scale(sl0, sh0, 8 * h + ((p * L) >> 4) + 2 * c);
                    int xp = xo + 256 * b + 32 * j + p * L;
                    // q6() written out (see Q4_0Linear.tile2x4): decode warming it first must not leave it out of line here.
                    IntVector lo = ((IntVector) ByteVector.fromMemorySegment(B, s, o0 + ql + p * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, qls).and(0xF);
                    IntVector hi = ((IntVector) ByteVector.fromMemorySegment(B, s, o0 + qh + p * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, qhs).and(3);
                    FloatVector w = ((FloatVector) lo.or(hi.lanewise(VectorOperators.LSHL, 4))
                            .convertShape(VectorOperators.I2F, F, 0)).fma(ds0, -32f * ds0);
                    a0 = w.fma(FloatVector.fromArray(F, x, xp), a0);
                    a1 = w.fma(FloatVector.fromArray(F, x, xp + xs), a1);
                    a2 = w.fma(FloatVector.fromArray(F, x, xp + 2 * xs), a2);
                    a3 = w.fma(FloatVector.fromArray(F, x, xp + 3 * xs), a3);
                }
            }
        }
        float b0 = bias == null ? 0 : bias[n];
        y[yo] = a0.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + ys] = a1.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + 2 * ys] = a2.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + 3 * ys] = a3.reduceLanes(VectorOperators.ADD) + b0;
    }
}
