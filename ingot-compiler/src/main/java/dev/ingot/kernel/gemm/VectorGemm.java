package dev.ingot.kernel.gemm;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Register tiles of {@link Gemm} on the Vector API: {@code rows x NR} outputs, {@code NR = 2L}, over one panel of
 * {@link PackedB}. Each tile keeps its accumulators in registers for the whole k loop (8 x 2 = 16 vectors plus two
 * weight vectors and one broadcast: 19 of AVX-512's 32 registers) and writes them once. Per k the 8-row tile issues
 * 2 vector loads, 8 broadcasts and 16 FMAs, so it is bound by the FMA ports, not by loads; row tails use 4 and 1.
 * Per output: {@code c = fma(a[k], w[k], c)} for k = 0 .. K-1 in order, exactly what {@link ScalarGemm} computes.
 */
final class VectorGemm {
    private VectorGemm() {}

    /** Columns per panel this kernel needs ({@link PackedB#nr()}). */
    static final int NR = 2 * L;

    /**
     * Rows {@code [r0, r1)} of C for panel {@code p}: A rows at {@code a[aOff + r*lda ..]}, C columns
     * {@code [p*NR, p*NR + cols)} at {@code c[cOff + r*ldc + p*NR ..]}; {@code cols < NR} only for the last panel.
     */
    static void panel(float[] a, int aOff, int lda, PackedB b, int p, int k0, int k1, float[] c, int cOff, int ldc, int r0, int r1, float[] scratch) {
        // k range [k0, k1): A columns from k0, panel rows from k0; C accumulates unless k0 == 0
        int k = k1 - k0, bo = p * b.k * NR + k0 * NR, cols = Math.min(NR, b.n - p * NR);
        boolean acc = k0 > 0;
        aOff += k0;
        boolean full = cols == NR;
        float[] w = b.heap();
        int r = r0;
        for (; r + 8 <= r1; r += 8) {
            if (full) tile8(a, aOff + r * lda, lda, w, bo, k, c, cOff + r * ldc + p * NR, ldc, acc);
            else {
                if (acc) copyIn(c, cOff + r * ldc + p * NR, ldc, 8, cols, scratch);
                tile8(a, aOff + r * lda, lda, w, bo, k, scratch, 0, NR, acc);
                copyOut(scratch, 8, cols, c, cOff + r * ldc + p * NR, ldc);
            }
        }
        for (; r + 4 <= r1; r += 4) {
            if (full) tile4(a, aOff + r * lda, lda, w, bo, k, c, cOff + r * ldc + p * NR, ldc, acc);
            else {
                if (acc) copyIn(c, cOff + r * ldc + p * NR, ldc, 4, cols, scratch);
                tile4(a, aOff + r * lda, lda, w, bo, k, scratch, 0, NR, acc);
                copyOut(scratch, 4, cols, c, cOff + r * ldc + p * NR, ldc);
            }
        }
        for (; r < r1; r++) {
            if (full) tile1(a, aOff + r * lda, w, bo, k, c, cOff + r * ldc + p * NR, acc);
            else {
                if (acc) copyIn(c, cOff + r * ldc + p * NR, ldc, 1, cols, scratch);
                tile1(a, aOff + r * lda, w, bo, k, scratch, 0, acc);
                copyOut(scratch, 1, cols, c, cOff + r * ldc + p * NR, ldc);
            }
        }
    }

    private static void copyIn(float[] c, int co, int ldc, int rows, int cols, float[] s) {
        for (int i = 0; i < rows; i++) System.arraycopy(c, co + i * ldc, s, i * NR, cols);
    }

    private static void copyOut(float[] s, int rows, int cols, float[] c, int co, int ldc) {
        for (int i = 0; i < rows; i++) System.arraycopy(s, i * NR, c, co + i * ldc, cols);
    }

    /** C[8, NR] at c[co..] (rows ldc apart) = A[8, K] at a[ao..] (rows lda apart) . panel [K][NR] at b[bo..]. */
    private static void tile8(float[] a, int ao, int lda, float[] b, int bo, int k, float[] c, int co, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
                c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        if (acc) { // continue the FMA chains of an earlier k block
            c00 = ld(c, co); c01 = ld(c, co + L); c10 = ld(c, co + ldc); c11 = ld(c, co + ldc + L);
            c20 = ld(c, co + 2 * ldc); c21 = ld(c, co + 2 * ldc + L); c30 = ld(c, co + 3 * ldc); c31 = ld(c, co + 3 * ldc + L);
            c40 = ld(c, co + 4 * ldc); c41 = ld(c, co + 4 * ldc + L); c50 = ld(c, co + 5 * ldc); c51 = ld(c, co + 5 * ldc + L);
            c60 = ld(c, co + 6 * ldc); c61 = ld(c, co + 6 * ldc + L); c70 = ld(c, co + 7 * ldc); c71 = ld(c, co + 7 * ldc + L);
        }
        int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        for (int i = 0; i < k; i++, bo += NR) {
            FloatVector w0 = FloatVector.fromArray(F, b, bo), w1 = FloatVector.fromArray(F, b, bo + L);
            FloatVector x = FloatVector.broadcast(F, a[ao + i]);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            x = FloatVector.broadcast(F, a[a1 + i]);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            x = FloatVector.broadcast(F, a[a2 + i]);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            x = FloatVector.broadcast(F, a[a3 + i]);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            x = FloatVector.broadcast(F, a[a4 + i]);
            c40 = x.fma(w0, c40);
            c41 = x.fma(w1, c41);
            x = FloatVector.broadcast(F, a[a5 + i]);
            c50 = x.fma(w0, c50);
            c51 = x.fma(w1, c51);
            x = FloatVector.broadcast(F, a[a6 + i]);
            c60 = x.fma(w0, c60);
            c61 = x.fma(w1, c61);
            x = FloatVector.broadcast(F, a[a7 + i]);
            c70 = x.fma(w0, c70);
            c71 = x.fma(w1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + L);
    }

    /** As {@link #tile8} for 4 rows. */
    private static void tile4(float[] a, int ao, int lda, float[] b, int bo, int k, float[] c, int co, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        if (acc) {
            c00 = ld(c, co); c01 = ld(c, co + L); c10 = ld(c, co + ldc); c11 = ld(c, co + ldc + L);
            c20 = ld(c, co + 2 * ldc); c21 = ld(c, co + 2 * ldc + L); c30 = ld(c, co + 3 * ldc); c31 = ld(c, co + 3 * ldc + L);
        }
        int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int i = 0; i < k; i++, bo += NR) {
            FloatVector w0 = FloatVector.fromArray(F, b, bo), w1 = FloatVector.fromArray(F, b, bo + L);
            FloatVector x = FloatVector.broadcast(F, a[ao + i]);
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            x = FloatVector.broadcast(F, a[a1 + i]);
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            x = FloatVector.broadcast(F, a[a2 + i]);
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            x = FloatVector.broadcast(F, a[a3 + i]);
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
    }

    /** As {@link #tile8} for one row. */
    private static void tile1(float[] a, int ao, float[] b, int bo, int k, float[] c, int co, boolean acc) {
        FloatVector c0 = acc ? ld(c, co) : FloatVector.zero(F), c1 = acc ? ld(c, co + L) : FloatVector.zero(F);
        for (int i = 0; i < k; i++, bo += NR) {
            FloatVector x = FloatVector.broadcast(F, a[ao + i]);
            c0 = x.fma(FloatVector.fromArray(F, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(F, b, bo + L), c1);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + L);
    }

    private static FloatVector ld(float[] c, int o) { return FloatVector.fromArray(F, c, o); }
}
