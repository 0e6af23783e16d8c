package dev.ingot.kernel.linear;

import static dev.ingot.kernel.Simd.B;
import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD linear over Q8_0 weights. Block (34 bytes, 32 elements): fp16 d, then 32 int8 q; w = q * d.
 * Each block is widened in registers (L int8 -> L floats, scaled by d) and FMA'd against float activations.
 * Register tiles: 2 rows x 4 tokens (prefill, 8 accumulators, each weight vector reused 4 times; a 4 x 4 body
 * exceeded C2's NodeCountInliningCutoff and ran 10x slower), 4 rows x 1 token (decode), 1 x 1 (tails). Scalar twin: {@link ScalarLinear}.
 */
public final class Q8_0Linear implements LinearKernel {
    private static final int QK = 32, BB = 34, P = QK / L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.Q8_0; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        int nb = K / QK;
        long rb = (long) nb * BB;
        int n = n0;
        for (; n + 4 <= n1; n += 4) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                tile4x4(w, n * rb, rb, nb, x, xOff + t * xStride, xStride, y, yOff + t * yStride + n, yStride, bias, n);
            }
            for (; t < T; t++) tile4x1(w, n * rb, rb, nb, x, xOff + t * xStride, y, yOff + t * yStride + n, bias, n);
        }
        for (; n < n1; n++) {
            for (int t = 0; t < T; t++) {
                float s = dot(w, n * rb, nb, x, xOff + t * xStride);
                y[yOff + t * yStride + n] = bias == null ? s : s + bias[n];
            }
        }
    }

    /** Part p (L elements) of the block at byte o, dequantised: q[pL .. pL+L) * d. */
    static FloatVector wv(MemorySegment s, long o, int p) {
        float d = Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o));
        return ((FloatVector) ByteVector.fromMemorySegment(B, s, o + 2 + p * L, LE)
                .convertShape(VectorOperators.B2F, F, 0)).mul(d);
    }

    static float dot(MemorySegment s, long r, int nb, float[] x, int xo) {
        FloatVector a = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            long o = r + (long) b * BB;
            int xb = xo + b * QK;
            for (int p = 0; p < P; p++) a = wv(s, o, p).fma(FloatVector.fromArray(F, x, xb + p * L), a);
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Decode: rows n..n+3 against one token. Per block, q·x is accumulated unscaled (two widened halves, one mul and
     * one FMA) and the fp16 scale is applied once with a single FMA: one scale load and no per-half multiply, which
     * is what bounds this loop (it is compute-, not bandwidth-limited, at 16 lanes).
     */
    private static void tile4x1(MemorySegment s, long r, long rb, int nb, float[] x, int xo,
                                float[] y, int yo, float[] bias, int n) {
        if (P != 2) {
            tile4x1Generic(s, r, rb, nb, x, xo, y, yo, bias, n);
            return;
        }
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < nb; b++) {
            long o = r + (long) b * BB;
            int xb = xo + b * QK;
            FloatVector x0 = FloatVector.fromArray(F, x, xb), x1 = FloatVector.fromArray(F, x, xb + L);
            a0 = block(s, o, x0, x1, a0);
            a1 = block(s, o + rb, x0, x1, a1);
            a2 = block(s, o + 2 * rb, x0, x1, a2);
            a3 = block(s, o + 3 * rb, x0, x1, a3);
        }
        Tiles.store4(y, yo, bias, n, a0, a1, a2, a3);
    }

    /** acc + d * (q[0..L)·x0 + q[L..2L)·x1) for the block at byte o (16-lane shape: two halves per block). */
    private static FloatVector block(MemorySegment s, long o, FloatVector x0, FloatVector x1, FloatVector acc) {
        FloatVector q0 = (FloatVector) ByteVector.fromMemorySegment(B, s, o + 2, LE).convertShape(VectorOperators.B2F, F, 0);
        FloatVector q1 = (FloatVector) ByteVector.fromMemorySegment(B, s, o + 2 + L, LE).convertShape(VectorOperators.B2F, F, 0);
        FloatVector t = q1.fma(x1, q0.mul(x0));
        return t.fma(FloatVector.broadcast(F, Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o))), acc);
    }

    /** 8-lane shapes (four parts per block): the straightforward form. */
    private static void tile4x1Generic(MemorySegment s, long r, long rb, int nb, float[] x, int xo,
                                       float[] y, int yo, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < nb; b++) {
            long o = r + (long) b * BB;
            int xb = xo + b * QK;
            for (int p = 0; p < P; p++) {
                FloatVector xv = FloatVector.fromArray(F, x, xb + p * L);
                a0 = wv(s, o, p).fma(xv, a0);
                a1 = wv(s, o + rb, p).fma(xv, a1);
                a2 = wv(s, o + 2 * rb, p).fma(xv, a2);
                a3 = wv(s, o + 3 * rb, p).fma(xv, a3);
            }
        }
        Tiles.store4(y, yo, bias, n, a0, a1, a2, a3);
    }

    /** Rows n..n+3 x tokens t..t+3 as two 2x4 tiles (one 4x4 body exceeds C2's inlining node budget). */
    private static void tile4x4(MemorySegment s, long r, long rb, int nb, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        tile2x4(s, r, rb, nb, x, xo, xs, y, yo, ys, bias, n);
        tile2x4(s, r + 2 * rb, rb, nb, x, xo, xs, y, yo + 2, ys, bias, n + 2);
    }

    /** Rows n, n+1 x tokens t..t+3: 8 accumulators; each dequantised weight vector feeds 4 FMAs. */
    private static void tile2x4(MemorySegment s, long r, long rb, int nb, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        for (int b = 0; b < nb; b++) {
            long o = r + (long) b * BB;
            int xb = xo + b * QK;
            for (int p = 0; p < P; p++) {
                int xp = xb + p * L;
                FloatVector x0 = FloatVector.fromArray(F, x, xp), x1 = FloatVector.fromArray(F, x, xp + xs);
                FloatVector x2 = FloatVector.fromArray(F, x, xp + 2 * xs), x3 = FloatVector.fromArray(F, x, xp + 3 * xs);
                // wv() written out, so a standalone compile of it (tails, 8-lane decode) cannot stop C2 inlining it here.
                FloatVector w = ((FloatVector) ByteVector.fromMemorySegment(B, s, o + 2 + p * L, LE)
                        .convertShape(VectorOperators.B2F, F, 0)).mul(Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o)));
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = ((FloatVector) ByteVector.fromMemorySegment(B, s, o + rb + 2 + p * L, LE)
                        .convertShape(VectorOperators.B2F, F, 0)).mul(Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o + rb)));
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            }
        }
        Tiles.store2x4(y, yo, ys, bias, n, a00, a01, a02, a03, a10, a11, a12, a13);
    }
}
