package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
 * <p>Downcalls are {@link Linker.Option#critical(boolean) critical(true)}: A, C and the packed panels are heap
 * arrays read and written in place.
 */
public final class NativeSgemm {
    /** Panel width the C kernel reads: two zmm of floats. */
    public static final int NR = 32;
    static final String SYMBOL = "ingot_sgemm_f32";
    private static final FunctionDescriptor RUN = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);

    private final MethodHandle run;

    private NativeSgemm(MethodHandle run) { this.run = run; }

    /** Builds (or takes from the cache) the kernel; fails when the compiler does not target AVX-512. */
    static NativeSgemm load(NativeToolchain tc) throws IOException {
        SymbolLookup lib = SymbolLookup.libraryLookup(tc.library(SYMBOL, NativeSource.load("sgemm.c.tmpl").replace("@SYMBOL@", SYMBOL)), Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle isa = linker.downcallHandle(lib.find(SYMBOL + "_avx512").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
        try {
            if ((int) isa.invokeExact() != 1) throw new IOException("the C compiler does not target AVX-512");
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native " + SYMBOL + "_avx512 failed", e);
        }
        return new NativeSgemm(linker.downcallHandle(lib.find(SYMBOL + "_run").orElseThrow(), RUN, Linker.Option.critical(true)));
    }

    /**
     * Rows [r0, r1) x panels [p0, p1) of {@code c[cOff + r*ldc + j] = sum_k a[aOff + r*lda + k] * W[j][k]}, W
     * {@code [n, k]} packed in {@code panels} ({@code [ceil(n/32)][k][32]}).
     */
    public void run(float[] a, int aOff, int lda, float[] panels, int k, int n, float[] c, int cOff, int ldc,
                    int r0, int r1, int p0, int p1) {
        try {
            run.invokeExact(MemorySegment.ofArray(a).asSlice(4L * aOff), (long) lda, MemorySegment.ofArray(panels), k, n,
                    MemorySegment.ofArray(c).asSlice(4L * cOff), (long) ldc, r0, r1, p0, p1);
        } catch (Throwable e) {
            throw new IllegalStateException("native sgemm failed", e);
        }
    }

    @Override public String toString() { return "native " + SYMBOL + " (AVX-512, 12x32 tiles)"; }
}
