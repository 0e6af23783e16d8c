package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The exact integer GEMM of {@code igemm.c.tmpl} (u8 x s8 on AMX tiles where the CPU and OS have them, AVX512-VNNI
 * {@code vpdpbusd} for the rest, a portable C twin elsewhere) through FFM. Layouts and the arithmetic are described in the template; the Java call site, the weight
 * packing and the JVM twin are {@code dev.ingot.kernel.gemm.IntGemm}. The C side trusts its arguments: the call
 * site checks bounds once per call.
 *
 * <p>Downcalls are {@link Linker.Option#critical(boolean) critical(true)}: activations, outputs and the per-column
 * corrections are heap arrays read in place; packed weights and the u8 activations are off-heap.
 */
public final class NativeIntGemm {
    /** Default register tile: 8 rows x 3 groups of 16 columns (24 zmm accumulators, 3 weight vectors, 1 broadcast). */
    public static final int MR = 8, NG = 3;

    private static final String TEMPLATE = load("igemm.c.tmpl");
    private static final FunctionDescriptor PREP = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor QPREP = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor RUN = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);

    private final int mr, ng;
    private final boolean vnni, amx;
    private final MethodHandle prep, qprep, run;

    private NativeIntGemm(int mr, int ng, Path library, boolean wantAmx) {
        this.mr = mr;
        this.ng = ng;
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        String sym = symbol(mr, ng);
        this.prep = linker.downcallHandle(lib.find(sym + "_prep").orElseThrow(), PREP, Linker.Option.critical(true));
        this.qprep = linker.downcallHandle(lib.find(sym + "_qprep").orElseThrow(), QPREP, Linker.Option.critical(true));
        this.run = linker.downcallHandle(lib.find(sym + "_run").orElseThrow(), RUN, Linker.Option.critical(true));
        MethodHandle isa = linker.downcallHandle(lib.find(sym + "_isa").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        try {
            int level = (int) isa.invokeExact(wantAmx ? 1 : 0);
            this.vnni = level >= 1;
            this.amx = level == 2;
        } catch (Throwable e) {
            throw new IllegalStateException("native " + sym + "_isa failed", e);
        }
    }

    /** Builds (or takes from the cache) the kernel with an {@code mr x ng} register tile ({@code mr * ng <= 24}). */
    public static NativeIntGemm load(NativeToolchain tc, int mr, int ng) throws IOException {
        // -Dingot.amx=off keeps the tiles unused, as for the LLM linears (NativeLinear)
        return load(tc, mr, ng, !"off".equals(System.getProperty("ingot.amx")));
    }

    /**
     * As {@link #load(NativeToolchain, int, int)}, AMX tiles used only when {@code amx} (and available). The choice
     * is the library's, fixed at its first load: one tile size is one library, loaded once per process.
     */
    static NativeIntGemm load(NativeToolchain tc, int mr, int ng, boolean amx) throws IOException {
        if (mr < 1 || mr > 12 || ng < 1 || mr * ng > 24) throw new IllegalArgumentException("tile " + mr + "x" + ng);
        return new NativeIntGemm(mr, ng, tc.library(symbol(mr, ng), text(mr, ng)), amx);
    }

    static String symbol(int mr, int ng) { return "ingot_igemm_" + mr + "x" + ng; }

    static String text(int mr, int ng) {
        return TEMPLATE.replace("@MR@", Integer.toString(mr)).replace("@NG@", Integer.toString(ng)).replace("@SYMBOL@", symbol(mr, ng));
    }

    /** Rows per register tile (task row ranges are best cut at multiples of it). */
    public int mr() { return mr; }

    /** 16-column groups per register tile. */
    public int ng() { return ng; }

    /** True for the AVX512-VNNI build, false for the portable C twin. */
    public boolean vnni() { return vnni; }

    /** True when whole 32-row x 32-column blocks run on AMX tiles (CPU, compiler and OS allow it; K a multiple of 64). */
    public boolean amx() { return amx; }

    /**
     * Rows [t0, t1) of x (row r at {@code x[xOff + r * xs]}, K floats) to u8 rows of K4 bytes in {@code u} and
     * {@code {o, U}} pairs in {@code ri}. Returns 0, or 1 + the first row that is not integral with range <= 255.
     */
    public int prep(float[] x, int xOff, int xs, int K, int K4, int t0, int t1, MemorySegment u, MemorySegment ri) {
        try {
            return (int) prep.invokeExact(MemorySegment.ofArray(x).asSlice(4L * xOff), (long) xs, K, K4, t0, t1, u, ri);
        } catch (Throwable e) {
            throw new IllegalStateException("native igemm prep failed", e);
        }
    }

    /**
     * Rows [t0, t1) of x quantised on the way ({@code igemm.c.tmpl}'s {@code _qprep}): u = t - lo with
     * t = min(max(rne(x / scale) + zp, lo), hi), row offset {@code o}, row sums. lo, hi, zp integral, hi - lo <= 255.
     */
    public void qprep(float[] x, int xOff, int xs, int K, int K4, int t0, int t1, float scale, float zp, float lo, float hi, int o,
                      MemorySegment u, MemorySegment ri) {
        try {
            qprep.invokeExact(MemorySegment.ofArray(x).asSlice(4L * xOff), (long) xs, K, K4, t0, t1, scale, zp, lo, hi, o, u, ri);
        } catch (Throwable e) {
            throw new IllegalStateException("native igemm qprep failed", e);
        }
    }

    /** Rows [r0, r1) x 16-column groups [g0, g1) of y (row r at {@code y[yOff + r * ys]}). */
    public void run(MemorySegment wp, int[] cc, int[] cs, int N, int K4, MemorySegment u, MemorySegment ri,
                    float[] y, int yOff, int ys, int r0, int r1, int g0, int g1) {
        try {
            run.invokeExact(wp, MemorySegment.ofArray(cc), MemorySegment.ofArray(cs), N, K4, u, ri,
                    MemorySegment.ofArray(y).asSlice(4L * yOff), (long) ys, r0, r1, g0, g1);
        } catch (Throwable e) {
            throw new IllegalStateException("native igemm failed", e);
        }
    }

    @Override public String toString() { return "native " + symbol(mr, ng) + (amx ? " (AMX + AVX512-VNNI)" : vnni ? " (AVX512-VNNI)" : " (portable C)"); }

    private static String load(String name) {
        try (InputStream in = NativeIntGemm.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
