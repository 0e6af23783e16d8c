package dev.ingot.kernel.linear;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;
import static dev.ingot.kernel.Simd.I;
import static dev.ingot.kernel.Simd.S;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD linear over BF16 weights (2 bytes per element, rows of K elements, any K). bfloat16 is the top half of a float: widen and shift left 16.
 * Register tiles: 2 rows x 4 tokens (prefill), 4 x 1 (decode), 1 x 1 (tails); the last K % L columns are
 * added by a scalar pass. Scalar twin: {@link ScalarLinear}.
 */
public final class BF16Linear implements LinearKernel {
    private static final int E = 2;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.BF16; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        int kv = K - K % L;
        long rb = (long) K * E;
        int n = n0;
        for (; n + 4 <= n1; n += 4) {
            int t = 0;
            for (; t + 4 <= T; t += 4) {
                tile4x4(w, n * rb, rb, kv, x, xOff + t * xStride, xStride, y, yOff + t * yStride + n, yStride, bias, n);
            }
            for (; t < T; t++) tile4x1(w, n * rb, rb, kv, x, xOff + t * xStride, y, yOff + t * yStride + n, bias, n);
        }
        for (; n < n1; n++) {
            for (int t = 0; t < T; t++) {
                FloatVector a = FloatVector.zero(F);
                int xo = xOff + t * xStride;
                for (int k = 0; k < kv; k += L) a = wv(w, n * rb + (long) k * E).fma(FloatVector.fromArray(F, x, xo + k), a);
                float s = a.reduceLanes(VectorOperators.ADD);
                y[yOff + t * yStride + n] = bias == null ? s : s + bias[n];
            }
        }
        if (kv < K) { // scalar tail columns [kv, K)
            for (int r = n0; r < n1; r++) {
                for (int t = 0; t < T; t++) {
                    float s = 0;
                    for (int k = kv; k < K; k++) s += ws(w, r * rb + (long) k * E) * x[xOff + t * xStride + k];
                    y[yOff + t * yStride + r] += s;
                }
            }
        }
    }

    /** L bfloat16 at byte o, as floats. */
    static FloatVector wv(MemorySegment s, long o) {
        return ((IntVector) ShortVector.fromMemorySegment(S, s, o, LE).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float ws(MemorySegment s, long o) { return Float.intBitsToFloat(s.get(JAVA_SHORT_UNALIGNED, o) << 16); }

    private static void tile4x1(MemorySegment s, long r, long rb, int kv, float[] x, int xo,
                                float[] y, int yo, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int k = 0; k < kv; k += L) {
            long o = r + (long) k * E;
            FloatVector xv = FloatVector.fromArray(F, x, xo + k);
            a0 = wv(s, o).fma(xv, a0);
            a1 = wv(s, o + rb).fma(xv, a1);
            a2 = wv(s, o + 2 * rb).fma(xv, a2);
            a3 = wv(s, o + 3 * rb).fma(xv, a3);
        }
        Tiles.store4(y, yo, bias, n, a0, a1, a2, a3);
    }

    /** Rows n..n+3 x tokens t..t+3 as two 2x4 tiles (one 4x4 body exceeds C2's inlining node budget). */
    private static void tile4x4(MemorySegment s, long r, long rb, int kv, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        tile2x4(s, r, rb, kv, x, xo, xs, y, yo, ys, bias, n);
        tile2x4(s, r + 2 * rb, rb, kv, x, xo, xs, y, yo + 2, ys, bias, n + 2);
    }

    /** Rows n, n+1 x tokens t..t+3: 8 accumulators; each weight vector feeds 4 FMAs. */
    private static void tile2x4(MemorySegment s, long r, long rb, int kv, float[] x, int xo, int xs,
                                float[] y, int yo, int ys, float[] bias, int n) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        for (int k = 0; k < kv; k += L) {
            long o = r + (long) k * E;
            int xp = xo + k;
            FloatVector x0 = FloatVector.fromArray(F, x, xp), x1 = FloatVector.fromArray(F, x, xp + xs);
            FloatVector x2 = FloatVector.fromArray(F, x, xp + 2 * xs), x3 = FloatVector.fromArray(F, x, xp + 3 * xs);
            FloatVector w = ((IntVector) ShortVector.fromMemorySegment(S, s, o, LE).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(); // wv() written out (see Q4_0Linear.tile2x4)
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            w = ((IntVector) ShortVector.fromMemorySegment(S, s, o + rb, LE).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
        }
        Tiles.store2x4(y, yo, ys, bias, n, a00, a01, a02, a03, a10, a11, a12, a13);
    }
}
