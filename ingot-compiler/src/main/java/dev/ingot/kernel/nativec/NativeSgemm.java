package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ingot.codegen.jvm.ScalarMath;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The F32 GEMM of {@code sgemm.c.tmpl} (AVX-512, 12-row x 32-column register tiles) through FFM: one task of
 * {@code dev.ingot.kernel.gemm.Gemm}'s grid per downcall, over weights packed as {@code PackedB} with 32-column
 * panels. Bit for bit the JVM twins' result (one in-order FMA chain per output). Loaded only where the compiler
 * targets AVX-512; elsewhere the JVM tiles run. The C side trusts its arguments: {@code Gemm} checks bounds once
 * per call.
 *
 * <p>The same tiles serve encoder attention ({@link #attention}): scores and the weighted sum of values are two
 * small GEMMs per block of 12 query rows, with the softmax between them in C.
 *
 * <p>Downcalls are {@link Linker.Option#critical(boolean) critical(true)}: A and C are heap arrays read and written
 * in place; the packed panels are a 64-byte aligned off-heap segment.
 */
public final class NativeSgemm {
    /** Panel width the C kernel reads: two zmm of floats. */
    public static final int NR = 32;
    static final String SYMBOL = "ingot_sgemm_f32";
    private static final FunctionDescriptor RUN = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);

    private static final FunctionDescriptor ATTENTION = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
            JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG,
            ADDRESS, ADDRESS, JAVA_LONG);

    private final MethodHandle run, attention;

    private NativeSgemm(MethodHandle run, MethodHandle attention) {
        this.run = run;
        this.attention = attention;
    }

    /** Builds (or takes from the cache) the kernel; fails when the compiler does not target AVX-512. */
    static NativeSgemm load(NativeToolchain tc) throws IOException {
        String src = NativeSource.load("sgemm.c.tmpl").replace("@SYMBOL@", SYMBOL)
                .replace("@ERF_P@", cFloats(ScalarMath.erfNumerator())).replace("@ERF_Q@", cFloats(ScalarMath.erfDenominator()))
                .replace("@INV_SQRT_2@", cFloats(new float[] {ScalarMath.invSqrt2()}));
        SymbolLookup lib = SymbolLookup.libraryLookup(tc.library(SYMBOL, src), Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle isa = linker.downcallHandle(lib.find(SYMBOL + "_avx512").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
        try {
            if ((int) isa.invokeExact() != 1) throw new IOException("the C compiler does not target AVX-512");
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native " + SYMBOL + "_avx512 failed", e);
        }
        return new NativeSgemm(linker.downcallHandle(lib.find(SYMBOL + "_run").orElseThrow(), RUN, Linker.Option.critical(true)),
                linker.downcallHandle(lib.find(SYMBOL + "_attention").orElseThrow(), ATTENTION, Linker.Option.critical(true)));
    }

    /** C float literals, comma-separated: Java's shortest round-trip decimal of each, which C reads back to the same float. */
    private static String cFloats(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) b.append(b.isEmpty() ? "" : ", ").append(Float.toString(f)).append('f');
        return b.toString();
    }

    /**
     * Rows [r0, r1) x panels [p0, p1) of {@code c[cOff + r*ldc + j] = sum_k a[aOff + r*lda + k] * W[j][k] (+ bias[j])},
     * W {@code [n, k]} packed in {@code panels} ({@code [ceil(n/32)][k][32]}), bias ({@code n} floats) or null: added
     * to the finished sum as it is stored (the rounding of a separate add, without a pass over C), then
     * {@code c[resOff + r*ldc + j]} when {@code resOff >= 0} (a residual in C's array, laid out as C), then
     * {@code gelu_erf} when {@code gelu} (exactly {@code ScalarMath.gelu_erf} of that value).
     */
    public void run(float[] a, int aOff, int lda, MemorySegment panels, int k, int n, float[] c, int cOff, int ldc,
                    int r0, int r1, int p0, int p1, float[] bias, int resOff, boolean gelu) {
        try {
            run.invokeExact(MemorySegment.ofArray(a).asSlice(4L * aOff), (long) lda, panels, k, n,
                    MemorySegment.ofArray(c).asSlice(4L * cOff), (long) ldc, r0, r1, p0, p1,
                    (MemorySegment) (bias == null ? MemorySegment.NULL : MemorySegment.ofArray(bias)),
                    (MemorySegment) (resOff < 0 ? MemorySegment.NULL : MemorySegment.ofArray(c).asSlice(4L * resOff)), gelu ? 1 : 0);
        } catch (Throwable e) {
            throw new IllegalStateException("native sgemm failed", e);
        }
    }

    /**
     * Encoder attention over problems [p0, p1), query rows [i0, i1) of each (of lq):
     * {@code o = softmax(scale * q k^T + mask) v} with every window in
     * {@code a}: problem p's q [lq, d] at {@code qOff + qB[p]} (rows qRow apart, elements contiguous), k [lk, d],
     * v [lk, dv] and o [lq, dv] likewise; mask row i at {@code m[mOff + mB[p] + i * mRow + j]} (keys contiguous), or
     * none when {@code m} is null. Returns false when the C side could not allocate its scratch (the caller then runs
     * the JVM kernel). The windows are checked against {@code a} and {@code m} here; the C side trusts them.
     */
    public boolean attention(float[] a, int p0, int p1, int i0, int i1, int lq, int lk, int d, int dv, float scale,
                             int qOff, long[] qB, int qRow, int kOff, long[] kB, int kRow, int vOff, long[] vB, int vRow,
                             int oOff, long[] oB, int oRow, float[] m, int mOff, long[] mB, int mRow) {
        if (i0 < 0 || i1 > lq || i0 > i1) throw new IndexOutOfBoundsException("query rows [" + i0 + ", " + i1 + ") of " + lq);
        for (int p = p0; p < p1; p++) {
            check(a.length, qOff + qB[p], lq, qRow, d, "q");
            check(a.length, kOff + kB[p], lk, kRow, d, "k");
            check(a.length, vOff + vB[p], lk, vRow, dv, "v");
            check(a.length, oOff + oB[p], lq, oRow, dv, "o");
            if (m != null) check(m.length, mOff + mB[p], lq, mRow, lk, "mask");
        }
        MemorySegment ms = m == null ? MemorySegment.NULL : MemorySegment.ofArray(m).asSlice(4L * mOff);
        MemorySegment mbs = m == null ? MemorySegment.NULL : MemorySegment.ofArray(mB);
        try {
            return (int) attention.invokeExact(MemorySegment.ofArray(a), p0, p1, i0, i1, lk, d, dv, scale,
                    (long) qOff, MemorySegment.ofArray(qB), (long) qRow, (long) kOff, MemorySegment.ofArray(kB), (long) kRow,
                    (long) vOff, MemorySegment.ofArray(vB), (long) vRow, (long) oOff, MemorySegment.ofArray(oB), (long) oRow,
                    ms, mbs, (long) mRow) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("native attention failed", e);
        }
    }

    /** {@code rows} rows of {@code cols} contiguous floats from {@code start}, {@code stride} apart, inside [0, length). */
    private static void check(int length, long start, int rows, int stride, int cols, String what) {
        long last = start + (long) (rows - 1) * stride + cols;
        if (start < 0 || stride < 0 || last > length) throw new IndexOutOfBoundsException(what + " window [" + start + ", " + last + ") outside " + length);
    }

    @Override public String toString() { return "native " + SYMBOL + " (AVX-512, 12x32 tiles)"; }
}
