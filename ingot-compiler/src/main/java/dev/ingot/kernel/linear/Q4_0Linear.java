package dev.ingot.kernel.linear;

import static dev.ingot.kernel.Simd.B;
import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.I;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD linear over Q4_0 weights. Block (18 bytes, 32 elements): fp16 d, 16 bytes of nibbles; element j < 16 is
 * the low nibble of byte j, element j + 16 its high nibble; w = (q - 8) d.
 * The row is walked in groups of 32 elements, each as 32 / L vectors dequantised in registers (widen the
 * bytes to int lanes, unpack bits, convert, one FMA with the scale/offset) and FMA'd against float
 * activations. Register tiles: 2 rows x 4 tokens (prefill), 2 x 1 (decode), 1 x 1 (tails).
 * Scalar twin: {@link ScalarLinear}.
 */
public final class Q4_0Linear implements LinearKernel {
    private static final int P = 32 / L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.Q4_0; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        int ng = K / 32;
        long rb = DType.Q4_0.rowBytes(K);
        int n = n0;
        for (; n + 4 <= n1; n += 4) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                tile4x4(w, n * rb, rb, ng, x, xOff + t * xStride, xStride, y, yOff + t * yStride + n, yStride, bias, n);
            }
            for (; t < T; t++) {
                tile2x1(w, n * rb, rb, ng, x, xOff + t * xStride, y, yOff + t * yStride + n, bias, n);
                tile2x1(w, (n + 2) * rb, rb, ng, x, xOff + t * xStride, y, yOff + t * yStride + n + 2, bias, n + 2);
            }
        }
        for (; n < n1; n++) {
            for (int t = 0; t < T; t++) {
                FloatVector a = FloatVector.zero(F);
                int xo = xOff + t * xStride;
                for (int g = 0; g < ng; g++) {
                    for (int p = 0; p < P; p++) a = wv(w, n * rb, g, p).fma(FloatVector.fromArray(F, x, xo + 32 * g + p * L), a);
                }
                float s = a.reduceLanes(VectorOperators.ADD);
                y[yOff + t * yStride + n] = bias == null ? s : s + bias[n];
            }
        }
    }

    private static float f16(MemorySegment s, long o) { return Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o)); }

    /** L bytes at o widened to int lanes (sign-extended; callers mask). */
    private static IntVector bytes(MemorySegment s, long o) {
        return (IntVector) ByteVector.fromMemorySegment(B, s, o, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    /** Part p of group (block) g of the row at byte r: elements [pL, pL + L) of the block, dequantised. */
    static FloatVector wv(MemorySegment s, long r, int g, int p) {
        long o = r + 18L * g;
        int e = p * L; // e < 16: low nibbles of bytes e..; else high nibbles of bytes e - 16..
        return nib(s, o + 2 + (e & 15), (e >> 4) * 4, f16(s, o));
    }

    /**
     * L nibbles (bits shift..shift+3 of L bytes at a) as (q - 8) d. The nibble is picked by a shift count,
     * not by choosing between two vector expressions: a vector-valued conditional left C2 with a boxed phi.
     */
    private static FloatVector nib(MemorySegment s, long a, int shift, float d) {
        return ((FloatVector) bytes(s, a).lanewise(VectorOperators.LSHR, shift).and(0xF)
                .convertShape(VectorOperators.I2F, F, 0)).fma(d, -8f * d);
    }

    /** Rows n, n+1 x one token (decode; a 4-row body passed C2's inlining node budget with this decode). */
    private static void tile2x1(MemorySegment s, long r, long rb, int ng, float[] x, int xo,
                                float[] y, int yo, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int g = 0; g < ng; g++) {
            for (int p = 0; p < P; p++) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + 32 * g + p * L);
                a0 = wv(s, r, g, p).fma(xv, a0);
                a1 = wv(s, r + rb, g, p).fma(xv, a1);
            }
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        y[yo] = bias == null ? s0 : s0 + bias[n];
        y[yo + 1] = bias == null ? s1 : s1 + bias[n + 1];
    }

    /** Rows n..n+3 x tokens t..t+3 as two 2x4 tiles (one 4x4 body exceeds C2's inlining node budget). */
    private static void tile4x4(MemorySegment s, long r, long rb, int ng, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        tile2x4(s, r, rb, ng, x, xo, xs, y, yo, ys, bias, n);
        tile2x4(s, r + 2 * rb, rb, ng, x, xo, xs, y, yo + 2, ys, bias, n + 2);
    }

    /** Rows n, n+1 x tokens t..t+3: 8 accumulators; each dequantised weight vector feeds 4 FMAs. */
    private static void tile2x4(MemorySegment s, long r, long rb, int ng, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        for (int g = 0; g < ng; g++) {
            for (int p = 0; p < P; p++) {
                int xp = xo + 32 * g + p * L;
                FloatVector x0 = FloatVector.fromArray(F, x, xp), x1 = FloatVector.fromArray(F, x, xp + xs);
                FloatVector x2 = FloatVector.fromArray(F, x, xp + 2 * xs), x3 = FloatVector.fromArray(F, x, xp + 3 * xs);
                // wv() written out: decode makes wv/nib hot first, C2 compiles them on their own and then refuses
                // to inline those big bodies here, boxing every vector (LinearAllocationTest catches it).
                long o0 = r + 18L * g, o1 = o0 + rb, q = 2 + ((p * L) & 15);
                int sh = ((p * L) >> 4) * 4;
                float d0 = f16(s, o0), d1 = f16(s, o1);
                FloatVector w = ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B, s, o0 + q, LE)
                        .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, sh).and(0xF)
                        .convertShape(VectorOperators.I2F, F, 0)).fma(d0, -8f * d0);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B, s, o1 + q, LE)
                        .convertShape(VectorOperators.B2I, I, 0)).lanewise(VectorOperators.LSHR, sh).and(0xF)
                        .convertShape(VectorOperators.I2F, F, 0)).fma(d1, -8f * d1);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            }
        }
        Tiles.store2x4(y, yo, ys, bias, n, a00, a01, a02, a03, a10, a11, a12, a13);
    }
}
