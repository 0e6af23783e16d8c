package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A {@link LinearKernel} backed by a generated C library ({@link NativeSource}). Each {@link #rows} call is one
 * downcall computing rows [n0, n1) for all T tokens. Programs call it through {@link GroupedLinear}, which
 * quantises the activations once per call ({@link #quantize} / {@link #quantizePacked}) and splits rows over
 * the worker pool.
 *
 * <p>The downcall is {@link Linker.Option#critical(boolean) critical(true)}: the float[] activations, outputs
 * and bias are passed as heap segments and read in place (no copy; the GC waits for the call). Activations are
 * quantised to Q8_0 inside the call into a per-thread native scratch buffer that lives as long as the thread.
 * Results differ from the float kernels by that quantisation (relative ~1e-3 per dot, what llama.cpp does).
 */
public final class NativeLinear implements LinearKernel {
    private static final FunctionDescriptor SIG = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

    private static final FunctionDescriptor QUANTIZE = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor PREQUANT = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** Bytes of one quantised pair (64 elements): int8 q[64], int32 corr[16], float dx[16]. */
    static final int PAIR_BYTES = 192;
    private static final FunctionDescriptor PACK = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor PACKED = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** Bytes of one quantised block for the packed kernels: int8 q[32], float d, int32 corr. */
    static final int XBLOCK_BYTES = 40;

    private static final FunctionDescriptor AMX_QUANTIZE = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);

    private final NativeSource source;
    private final MethodHandle fn, quantizeFn, prequantFn, packFn, packedQuantizeFn, packedFn;
    private final MethodHandle packedAmxFn, packedAmxQuantizeFn; // null without AMX

    NativeLinear(NativeSource source, Path library) {
        this.source = source;
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        MemorySegment sym = lib.find(source.symbol())
                .orElseThrow(() -> new IllegalStateException(library + " lacks " + source.symbol()));
        Linker linker = Linker.nativeLinker();
        this.fn = linker.downcallHandle(sym, SIG, Linker.Option.critical(true));
        this.quantizeFn = linker.downcallHandle(lib.find(source.symbol() + "_quantize").orElseThrow(), QUANTIZE,
                Linker.Option.critical(true));
        this.prequantFn = linker.downcallHandle(lib.find(source.symbol() + "_q").orElseThrow(), PREQUANT,
                Linker.Option.critical(true));
        this.packFn = linker.downcallHandle(lib.find(source.symbol() + "_pack").orElseThrow(), PACK);
        this.packedQuantizeFn = linker.downcallHandle(lib.find(source.symbol() + "_pkq").orElseThrow(), QUANTIZE,
                Linker.Option.critical(true));
        this.packedFn = linker.downcallHandle(lib.find(source.symbol() + "_pk").orElseThrow(), PACKED,
                Linker.Option.critical(true));
        boolean amx = amxWanted() && lib.find(source.symbol() + "_pka").isPresent() && amxInit(linker, lib);
        this.packedAmxFn = amx ? linker.downcallHandle(lib.find(source.symbol() + "_pka").orElseThrow(), PACKED,
                Linker.Option.critical(true)) : null;
        this.packedAmxQuantizeFn = amx ? linker.downcallHandle(lib.find(source.symbol() + "_pkaq").orElseThrow(), AMX_QUANTIZE,
                Linker.Option.critical(true)) : null;
    }

    /** {@code -Dingot.amx=off} keeps AMX tiles unused even where the CPU has them. */
    private static boolean amxWanted() { return !"off".equals(System.getProperty("ingot.amx")); }

    /** Requests the AMX tile state from the OS (once per process; repeating it is harmless). */
    private boolean amxInit(Linker linker, SymbolLookup lib) {
        try {
            MethodHandle init = linker.downcallHandle(lib.find(source.symbol() + "_amx_init").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
            return (int) init.invokeExact() == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    // ---- AMX tiles (Q8_0, CPUs with AMX-INT8): see amx.c.tmpl -------------------------------------------------

    /** True when this kernel has AMX tile entry points and the OS granted the tile state. */
    public boolean amx() { return packedAmxFn != null; }


    // ---- packed ("x16") layout: see packed.c.tmpl --------------------------------------------------------------

    /** Row groups of 16 for N rows. */
    public static int groups(int N) { return (N + 15) / 16; }

    /** Bytes of the packed form of an [N, K] weight of this kernel's dtype. */
    public long packedBytes(int N, int K) {
        int qb = source.dtype() == DType.Q8_0 ? 32 : 16;
        return (long) groups(N) * (K / 32) * (32 + 16L * qb);
    }

    /** Packs row groups [g0, g1) of {@code w} (GGML layout, N x K) into {@code dst} ({@link #packedBytes} long). */
    public void pack(MemorySegment w, int N, int K, MemorySegment dst, int g0, int g1) {
        if (K % 32 != 0) throw new IllegalArgumentException("K = " + K + " is not a multiple of 32");
        if (w.byteSize() < N * source.dtype().rowBytes(K)) throw new IndexOutOfBoundsException("weights too small");
        if (dst.byteSize() < packedBytes(N, K) || g0 < 0 || g1 > groups(N)) throw new IndexOutOfBoundsException("packed range");
        try {
            packFn.invokeExact(w, N, K, dst, g0, g1);
        } catch (Throwable e) {
            throw new IllegalStateException("native pack " + source.symbol() + " failed", e);
        }
    }

    /** Bytes of packed-kernel activations per token. */
    public static long packedTokenBytes(int K) { return (long) K / 32 * XBLOCK_BYTES; }

    /** Quantises tokens [t0, t1) of x for the packed kernels into {@code xq} (token t at t * packedTokenBytes). */
    void quantizePacked(float[] x, int xOff, int xStride, int K, int t0, int t1, MemorySegment xq) {
        try {
            packedQuantizeFn.invokeExact(MemorySegment.ofArray(x).asSlice(4L * xOff), (long) xStride, K, t0, t1, xq);
        } catch (Throwable e) {
            throw new IllegalStateException("native quantize " + source.symbol() + " failed", e);
        }
    }

    /** Rows of row groups [g0, g1) (rows >= N untouched) over packed weights, T tokens quantised by {@link #quantizePacked}. */
    void rowsPacked(MemorySegment wp, int N, int K, MemorySegment xq, float[] y, int yOff, int yStride, int T, float[] bias, int g0, int g1) {
        callPacked(packedFn, "native linear ", wp, N, K, xq, y, yOff, yStride, T, bias, g0, g1);
    }

    /** A packed-weights entry point ({@link #PACKED} signature): {@code _pk} or its AMX twin {@code _pka}. */
    private void callPacked(MethodHandle h, String what, MemorySegment wp, int N, int K, MemorySegment xq, float[] y, int yOff,
                            int yStride, int T, float[] bias, int g0, int g1) {
        MemorySegment bs = bias == null ? MemorySegment.NULL : MemorySegment.ofArray(bias);
        try {
            h.invokeExact(wp, N, K, xq, MemorySegment.ofArray(y).asSlice(4L * yOff), (long) yStride, T, bs, g0, g1);
        } catch (Throwable e) {
            throw new IllegalStateException(what + source.symbol() + " failed", e);
        }
    }

    /** Bytes per 16-token tile and block of {@link #quantizePackedAmx} activations: 16 x 32 quants, 16 scales, 16 corrections. */
    static final int AMX_XBLOCK_BYTES = 640;

    /** Bytes of {@link #quantizePackedAmx} activations for T tokens. */
    public static long packedAmxActivationBytes(int K, int T) { return (long) (T + 15) / 16 * (K / 32) * AMX_XBLOCK_BYTES; }

    /** Quantises tokens [t0, t1) of the T of x (as {@link #quantizePacked}) into the tile layout of {@link #rowsPackedAmx}. */
    void quantizePackedAmx(float[] x, int xOff, int xStride, int K, int t0, int t1, int T, MemorySegment xa) {
        try {
            packedAmxQuantizeFn.invokeExact(MemorySegment.ofArray(x).asSlice(4L * xOff), (long) xStride, K, t0, t1, T, xa);
        } catch (Throwable e) {
            throw new IllegalStateException("native AMX quantize " + source.symbol() + " failed", e);
        }
    }

    /**
     * {@link #rowsPacked} on AMX tiles (needs {@link #amx()}): the same packed weights and the same result bit for bit,
     * from activations quantised by {@link #quantizePackedAmx}.
     */
    void rowsPackedAmx(MemorySegment wp, int N, int K, MemorySegment xa, float[] y, int yOff, int yStride, int T, float[] bias, int g0, int g1) {
        callPacked(packedAmxFn, "native AMX linear ", wp, N, K, xa, y, yOff, yStride, T, bias, g0, g1);
    }

    /** Bytes of quantised activations per token: one 192-byte pair per 64 elements. */
    public static long tokenBytes(int K) { return (long) (K / 32 + 1) / 2 * PAIR_BYTES; }

    /** Quantises tokens [t0, t1) of x into {@code xq} (64-aligned, T * tokenBytes(K) bytes; token t at t * tokenBytes). */
    void quantize(float[] x, int xOff, int xStride, int K, int t0, int t1, MemorySegment xq) {
        try {
            quantizeFn.invokeExact(MemorySegment.ofArray(x).asSlice(4L * xOff), (long) xStride, K, t0, t1, xq);
        } catch (Throwable e) {
            throw new IllegalStateException("native quantize " + source.symbol() + " failed", e);
        }
    }

    /** Rows [n0, n1) for T tokens quantised by {@link #quantize}. Bounds are the caller's ({@link GroupedLinear}). */
    void rowsQuantized(MemorySegment w, int K, MemorySegment xq, float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        MemorySegment bs = bias == null ? MemorySegment.NULL : MemorySegment.ofArray(bias);
        try {
            prequantFn.invokeExact(w, K, xq, MemorySegment.ofArray(y).asSlice(4L * yOff), (long) yStride, T, bs, n0, n1);
        } catch (Throwable e) {
            throw new IllegalStateException("native linear " + source.symbol() + " failed", e);
        }
    }

    @Override public DType dtype() { return source.dtype(); }

    public NativeSource source() { return source; }

    @Override
    public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int T, float[] bias, int n0, int n1) {
        if (n0 >= n1 || T <= 0) return;
        checkBounds(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, n1);
        MemorySegment xs = MemorySegment.ofArray(x).asSlice(4L * xOff);
        MemorySegment ys = MemorySegment.ofArray(y).asSlice(4L * yOff);
        MemorySegment bs = bias == null ? MemorySegment.NULL : MemorySegment.ofArray(bias);
        int rc;
        try {
            rc = (int) fn.invokeExact(w, K, xs, (long) xStride, ys, (long) yStride, T, bs, n0, n1);
        } catch (Throwable e) {
            throw new IllegalStateException("native linear " + source.symbol() + " failed", e);
        }
        if (rc != 0) throw new OutOfMemoryError("native linear " + source.symbol() + ": no scratch memory for T = " + T + ", K = " + K);
    }

    /** The C side trusts its arguments: check them here rather than fault in native code. */
    void checkBounds(MemorySegment w, int K, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                     int T, float[] bias, int n1) {
        if (K % 32 != 0) throw new IllegalArgumentException("K = " + K + " is not a multiple of 32");
        if (!w.isNative()) throw new IllegalArgumentException("native kernels need off-heap weights");
        long need = (long) n1 * source.dtype().rowBytes(K);
        if (w.byteSize() < need) throw new IndexOutOfBoundsException("weights hold " + w.byteSize() + " bytes, rows need " + need);
        if (xOff < 0 || (long) xOff + (long) (T - 1) * xStride + K > x.length) throw new IndexOutOfBoundsException("x");
        if (yOff < 0 || (long) yOff + (long) (T - 1) * yStride + n1 > y.length) throw new IndexOutOfBoundsException("y");
        if (bias != null && bias.length < n1) throw new IndexOutOfBoundsException("bias");
    }

    @Override public String toString() { return "native " + source.symbol(); }
}
