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
 * SIMD linear over F16 weights (2 bytes per element, rows of K elements, any K). Halves are widened with integer ops (no Vector API half->float conversion):
 * bits (h & 0x7fff) << 13 read as float and scaled by 2^112 rebias the exponent, exact for normals and
 * subnormals; the sign is or-ed back. Inf/NaN weights are not preserved (GGUF weights have none).
 * Register tiles: 2 rows x 4 tokens (prefill), 2 x 1 (decode), 1 x 1 (tails); the last K % L columns are
 * added by a scalar pass. Scalar twin: {@link ScalarLinear}.
 */
public final class F16Linear implements LinearKernel {
    private static final int E = 2;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override public DType dtype() { return DType.F16; }

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
            for (; t < T; t++) {
                tile2x1(w, n * rb, rb, kv, x, xOff + t * xStride, y, yOff + t * yStride + n, bias, n);
                tile2x1(w, (n + 2) * rb, rb, kv, x, xOff + t * xStride, y, yOff + t * yStride + n + 2, bias, n + 2);
            }
        }
        for (; n < n1; n++) {
            for (int t = 0; t < T; t++) {
                FloatVector a = FloatVector.zero(F);
                int xo = xOff + t * xStride;
                for (int k = 0; k < kv; k += L) {
                    a = ((IntVector) ShortVector.fromMemorySegment(S, w, n * rb + (long) k * E, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f)
                            .fma(FloatVector.fromArray(F, x, xo + k), a);
                }
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

    // L halves at byte o as floats, written out at every use (no helper method: C2 sometimes left a 68-byte
    // helper out of line depending on profile order, boxing its result, 10x slower). The half, sign-extended
    // to 32 bits and shifted left 16 then arithmetic-right 3, has its sign at bit 31 and exponent/mantissa at
    // bits 27..13; masking 0x8FFFE000 and scaling by 2^112 rebias the exponent, exact for normals and
    // subnormals (inf/NaN are not preserved; GGUF weights have none).

    static float ws(MemorySegment s, long o) { return Float.float16ToFloat(s.get(JAVA_SHORT_UNALIGNED, o)); }

    /** Rows n, n+1 x one token (decode; a 4-row body passed C2's inlining node budget with this decode). */
    private static void tile2x1(MemorySegment s, long r, long rb, int kv, float[] x, int xo,
                                float[] y, int yo, float[] bias, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int k = 0; k < kv; k += L) {
            long o = r + (long) k * E;
            FloatVector xv = FloatVector.fromArray(F, x, xo + k);
            a0 = ((IntVector) ShortVector.fromMemorySegment(S, s, o, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f).fma(xv, a0);
            a1 = ((IntVector) ShortVector.fromMemorySegment(S, s, o + rb, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f).fma(xv, a1);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        y[yo] = bias == null ? s0 : s0 + bias[n];
        y[yo + 1] = bias == null ? s1 : s1 + bias[n + 1];
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
            FloatVector w = ((IntVector) ShortVector.fromMemorySegment(S, s, o, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            w = ((IntVector) ShortVector.fromMemorySegment(S, s, o + rb, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
        }
        Tiles.store2x4(y, yo, ys, bias, n, a00, a01, a02, a03, a10, a11, a12, a13);
    }
}
