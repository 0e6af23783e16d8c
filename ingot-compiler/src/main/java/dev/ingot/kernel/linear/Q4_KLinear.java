package dev.ingot.kernel.linear;

import static dev.ingot.kernel.Simd.B;
import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.I;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
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
 * SIMD linear over Q4_K weights. Super-block (144 bytes, 256 elements): fp16 d, fp16 dmin, 12 bytes of packed
 * 6-bit (scale, min) for 8 groups of 32, 128 bytes of nibbles (group j uses bytes 32(j/2).., low nibble for
 * even j, high for odd); w = d * sc_j * q - dmin * m_j.
 * Per (row, super-block) the side data is read with four scalar loads and decoded with shifts; per group the
 * L-lane helper {@link #nib} widens, unpacks and scales. Keeping scalar segment accesses few matters: with a
 * dozen byte reads per group the C2 graph passed NodeCountInliningCutoff, the vector helper was called out of
 * line and its vectors boxed (10x slower). Register tiles: 2 rows x 4 tokens (prefill), 2 x 1 (decode; 4 x 1 passed the node budget),
 * 1 x 1 (tails). Scalar twin: {@link ScalarLinear}.
 */
public final class Q4_KLinear implements LinearKernel {
    private static final int P = 32 / L, SB = 144;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.Q4_K; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        int nsb = K / 256;
        long rb = (long) nsb * SB;
        int n = n0;
        for (; n + 2 <= n1; n += 2) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                tile2x4(w, n * rb, rb, nsb, x, xOff + t * xStride, xStride, y, yOff + t * yStride + n, yStride, bias, n);
            }
            for (; t < T; t++) tile2x1(w, n * rb, rb, nsb, x, xOff + t * xStride, y, yOff + t * yStride + n, bias, n);
        }
        for (; n < n1; n++) {
            for (int t = 0; t < T; t++) {
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

    /** L nibbles (bits shift..shift+3 of L bytes at a) as sc * q - m. */
    static FloatVector nib(MemorySegment s, long a, int shift, float sc, float m) {
        return ((FloatVector) bytes(s, a).lanewise(VectorOperators.LSHR, shift).and(0xF)
                .convertShape(VectorOperators.I2F, F, 0)).fma(sc, -m);
    }

    private static float dot(MemorySegment s, long r, int nsb, float[] x, int xo) {
        FloatVector a = FloatVector.zero(F);
        for (int b = 0; b < nsb; b++) {
            long o0 = r + (long) SB * b;
            float d0 = f16(s, o0), dm0 = f16(s, o0 + 2);
            long lo0 = s.get(JAVA_LONG_UNALIGNED, o0 + 4);
            int hi0 = s.get(JAVA_INT_UNALIGNED, o0 + 12);
            for (int j = 0; j < 8; j++) {
                int qa = 16 + 32 * (j >> 1), sh = 4 * (j & 1);
                float sc0 = d0 * KQuant.scaleK4(lo0, hi0, j), m0 = dm0 * KQuant.minK4(lo0, hi0, j);
                for (int p = 0; p < P; p++) {
                    a = nib(s, o0 + qa + p * L, sh, sc0, m0).fma(FloatVector.fromArray(F, x, xo + 256 * b + 32 * j + p * L), a);
                }
            }
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    /** Rows n, n+1 x one token (decode). */
    private static void tile2x1(MemorySegment s, long r, long rb, int nsb, float[] x, int xo,
                                float[] y, int yo, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0; b < nsb; b++) {
            long o0 = r + (long) SB * b;
            float d0 = f16(s, o0), dm0 = f16(s, o0 + 2);
            long lo0 = s.get(JAVA_LONG_UNALIGNED, o0 + 4);
            int hi0 = s.get(JAVA_INT_UNALIGNED, o0 + 12);
            long o1 = r + rb + (long) SB * b;
            float d1 = f16(s, o1), dm1 = f16(s, o1 + 2);
            long lo1 = s.get(JAVA_LONG_UNALIGNED, o1 + 4);
            int hi1 = s.get(JAVA_INT_UNALIGNED, o1 + 12);
            for (int j = 0; j < 8; j++) {
                int qa = 16 + 32 * (j >> 1), sh = 4 * (j & 1);
                float sc0 = d0 * KQuant.scaleK4(lo0, hi0, j), m0 = dm0 * KQuant.minK4(lo0, hi0, j);
                float sc1 = d1 * KQuant.scaleK4(lo1, hi1, j), m1 = dm1 * KQuant.minK4(lo1, hi1, j);
                for (int p = 0; p < P; p++) {
                    FloatVector xv = FloatVector.fromArray(F, x, xo + 256 * b + 32 * j + p * L);
                    a0 = nib(s, o0 + qa + p * L, sh, sc0, m0).fma(xv, a0);
                    a1 = nib(s, o1 + qa + p * L, sh, sc1, m1).fma(xv, a1);
                }
            }
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        y[yo] = bias == null ? s0 : s0 + bias[n];
        y[yo + 1] = bias == null ? s1 : s1 + bias[n + 1];
    }

    /** Rows n, n+1 x tokens t..t+3: 8 accumulators; each dequantised weight vector feeds 4 FMAs. */
    private static void tile2x4(MemorySegment s, long r, long rb, int nsb, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        for (int b = 0; b < nsb; b++) {
            long o0 = r + (long) SB * b;
            float d0 = f16(s, o0), dm0 = f16(s, o0 + 2);
            long lo0 = s.get(JAVA_LONG_UNALIGNED, o0 + 4);
            int hi0 = s.get(JAVA_INT_UNALIGNED, o0 + 12);
            long o1 = r + rb + (long) SB * b;
            float d1 = f16(s, o1), dm1 = f16(s, o1 + 2);
            long lo1 = s.get(JAVA_LONG_UNALIGNED, o1 + 4);
            int hi1 = s.get(JAVA_INT_UNALIGNED, o1 + 12);
            for (int j = 0; j < 8; j++) {
                int qa = 16 + 32 * (j >> 1), sh = 4 * (j & 1);
                float sc0 = d0 * KQuant.scaleK4(lo0, hi0, j), m0 = dm0 * KQuant.minK4(lo0, hi0, j);
                float sc1 = d1 * KQuant.scaleK4(lo1, hi1, j), m1 = dm1 * KQuant.minK4(lo1, hi1, j);
                for (int p = 0; p < P; p++) {
                    int xp = xo + 256 * b + 32 * j + p * L;
                    FloatVector x0 = FloatVector.fromArray(F, x, xp), x1 = FloatVector.fromArray(F, x, xp + xs);
                    FloatVector x2 = FloatVector.fromArray(F, x, xp + 2 * xs), x3 = FloatVector.fromArray(F, x, xp + 3 * xs);
                    // nib() written out: decode calls nib first, C2 then compiles it on its own and refuses to
                    // inline that big body here, boxing every vector (LinearAllocationTest catches it).
                    FloatVector w = ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B, s, o0 + qa + p * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, sh).and(0xF)
                            .convertShape(VectorOperators.I2F, F, 0)).fma(sc0, -m0);
                    a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                    w = ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B, s, o1 + qa + p * L, LE)
                            .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, sh).and(0xF)
                            .convertShape(VectorOperators.I2F, F, 0)).fma(sc1, -m1);
                    a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
                }
            }
        }
        Tiles.store2x4(y, yo, ys, bias, n, a00, a01, a02, a03, a10, a11, a12, a13);
    }
}
