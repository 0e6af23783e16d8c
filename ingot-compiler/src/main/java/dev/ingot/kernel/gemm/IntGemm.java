package dev.ingot.kernel.gemm;

import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.nativec.NativeIntGemm;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact integer GEMM {@code C [M, N] = (float) (A [M, K] . W^T)} for integer-valued operands, the int32 arithmetic of
 * ONNX's MatMulInteger: A rows integral with a range of at most 255 (quantised activations minus their zero point),
 * W an {@link IntGemmWeights}. Each A row becomes u8 plus an offset ({@code A = u - o}), so the products are u8 x s8
 * and the zero points are int32 corrections in the epilogue (see {@code igemm.c.tmpl}); the result is the exact
 * int32 sum converted to float once, equal bit for bit to {@code (float)} of a scalar integer reference.
 *
 * <p>Two phases, each split over the pool: rows of A to u8 ({@code prep}), then a grid of tasks (row block x
 * column-group block), refined until there are {@link #TASKS_PER_THREAD} per thread. Native ({@link NativeIntGemm},
 * AVX512-VNNI or its portable C twin) when the backend is available, else the JVM twin here: the float GEMM over k
 * blocks short enough that every partial sum is an exact integer, blocks added in int32 (activations within
 * +-255, as quantised ones are), or {@link #jvmRows} (the same int32 sums, slower). A call returns false, writing nothing meaningful, when a row of A breaks the
 * precondition; the caller then runs a float GEMM.
 */
public final class IntGemm {
    private IntGemm() {}

    static final int TASKS_PER_THREAD = 4;
    /**
     * Multiply-adds below which one thread runs the whole product: on AMX tiles (~800 GMAC/s a core) a 128 x 384 x 384
     * product takes ~25 us, less than splitting it costs (the second core pulls A and its weights over); VNNI ~150.
     */
    static final long SPLIT_AMX = 32L << 20, SPLIT_VNNI = 3L << 20;
    /** Rows per task before refinement: with a group tile's weights in L1/L2, the block's u8 rows stay in L2. */
    static final int ROW_BLOCK = 64;
    /** Elements of A below which the prep runs on the caller (a pool dispatch costs more than ~64K conversions). */
    static final long PREP_SPLIT = 256 * 1024;

    /**
     * Dynamic quantisation of A fused into the prep (ONNX DynamicQuantizeLinear feeding MatMulInteger): the GEMM's
     * A is {@code t - za} with {@code t = min(max(rne(x / scale) + zp, lo), hi)} computed from the float x, in float,
     * in that order (rne as {@code (v + MAGIC) - MAGIC}), so it equals the unfused graph's quantised activations.
     */
    public record Quant(float scale, float zp, float lo, float hi, float za) {
        /** 1.5 * 2^23: adding it to |v| < 2^22 leaves v rounded half to even in the low mantissa bits. */
        public static final float MAGIC = 12582912f;

        /** Whether the native prep can take it: integral bounds and zero points, hi - lo <= 255, a small offset. */
        boolean prepable() {
            return integral(zp) && integral(lo) && integral(hi) && integral(za) && hi >= lo && hi - lo <= 255 && Math.abs(za - lo) < 65536;
        }

        /** One element of the quantised A (what the unfused graph computes). */
        public float apply(float x) {
            float t = x / scale;
            t = (t + MAGIC) - MAGIC;
            t = t + zp;
            t = Math.max(t, lo);
            t = Math.min(t, hi);
            return t - za;
        }

        private static boolean integral(float v) { return v == Math.rint(v); }
    }

    /** Per-call-site scratch for M rows: u8 activations and (offset, row sum) pairs; reused by every call. */
    public static final class Scratch {
        final MemorySegment u, ri;
        final byte[] uj;
        final int[] rij;
        float[] part;  // JVM twin: one k block's float products [M, N]
        float[] quantised; // quantised A [M, K] where the prep cannot take a Quant
        int[] sum;     // JVM twin: int32 sums [M, N]

        public Scratch(int m, int k, boolean nat) {
            int k4 = (k + 3) & ~3;
            u = nat ? Arena.ofAuto().allocate((long) Math.max(1, m) * k4, 64) : null;
            ri = nat ? Arena.ofAuto().allocate(8L * Math.max(1, m), 64) : null;
            uj = nat ? null : new byte[Math.max(1, m) * k4];
            rij = nat ? null : new int[2 * Math.max(1, m)];
        }
    }

    /** The native kernel, or null when the JVM twin runs ({@code -Dingot.native=off}, no C compiler). */
    public static NativeIntGemm nativeKernel() {
        return NativeBackend.get().intGemm().orElse(null);
    }

    /**
     * {@code c[cOff + r*ldc + j] = (float) sum_k a[aOff + r*lda + k] * W[j][k]} for r in [0, m), j in [0, N), on
     * {@code kernel} (null: the JVM twin). {@code s} must be sized for at least m rows of K and match the kernel kind.
     */
    public static boolean run(WorkerPool pool, NativeIntGemm kernel, float[] a, int aOff, int lda, IntGemmWeights w,
                              float[] c, int cOff, int ldc, int m, Scratch s) {
        return run(pool, kernel, a, aOff, lda, w, c, cOff, ldc, m, s, null);
    }

    /**
     * As {@link #run(WorkerPool, NativeIntGemm, float[], int, int, IntGemmWeights, float[], int, int, int, Scratch)}
     * with A = {@code q} applied to a ({@link Quant}; null: a as it is). The native prep quantises on the way; the
     * JVM twin (or a Quant the prep cannot take) quantises A into scratch first.
     */
    public static boolean run(WorkerPool pool, NativeIntGemm kernel, float[] a, int aOff, int lda, IntGemmWeights w,
                              float[] c, int cOff, int ldc, int m, Scratch s, Quant q) {
        if (m <= 0) return true;
        if (q != null && (kernel == null || !q.prepable())) {
            if (s.quantised == null || s.quantised.length < m * w.k) s.quantised = new float[m * w.k];
            float[] y = s.quantised;
            for (int r = 0; r < m; r++) for (int i = 0; i < w.k; i++) y[r * w.k + i] = q.apply(a[aOff + r * lda + i]);
            return run(pool, kernel, y, 0, w.k, w, c, cOff, ldc, m, s, null);
        }
        if (aOff < 0 || (long) aOff + (long) (m - 1) * lda + w.k > a.length) throw new IndexOutOfBoundsException("a");
        if (cOff < 0 || (long) cOff + (long) (m - 1) * ldc + w.n > c.length) throw new IndexOutOfBoundsException("c");
        if (kernel != null && (s.u == null || s.u.byteSize() < (long) m * w.k4)) throw new IllegalArgumentException("scratch");
        if (kernel == null && (s.uj == null || s.uj.length < m * w.k4)) throw new IllegalArgumentException("scratch");
        int threads = pool == null ? 1 : pool.threads();
        // phase 1: rows of A to u8 (small next to the GEMM: M x K floats once)
        AtomicInteger bad = new AtomicInteger();
        if (pool == null || pool.threads() == 1 || (long) m * w.k < PREP_SPLIT) prepRange(kernel, a, aOff, lda, w, s, q, 0, m, bad);
        else pool.parallelFor(m, Math.max(1, m / (2 * threads)), (r0, r1) -> prepRange(kernel, a, aOff, lda, w, s, q, r0, r1, bad));
        if (bad.get() != 0) return false;
        if (kernel == null && maxAbs(s.rij, m) <= 255) { // JVM twin on the float GEMM, k blocks whose chains are exact
            floatBlocks(pool, a, aOff, lda, w, c, cOff, ldc, m, s);
            return true;
        }
        // phase 2: tasks of (row block, group block); group blocks are whole register tiles
        // task edges on register-tile edges: AMX blocks are 32 rows x 2 groups, VNNI tiles mr x ng
        boolean amx = kernel != null && kernel.amx() && m >= 16 && w.k4 % 64 == 0;
        int mr = amx ? (m >= 32 ? 32 : 16) : kernel != null ? kernel.mr() : 4, ng = amx ? 2 : kernel != null ? kernel.ng() : 1;
        long macs = (long) m * w.n * w.k;
        if (kernel != null && macs < (amx ? SPLIT_AMX : SPLIT_VNNI)) threads = 1;
        int rb = Math.min(roundUp(m, mr), ROW_BLOCK), gb = roundUp(w.groups, ng);
        int want = threads * TASKS_PER_THREAD;
        while (ceil(m, rb) * ceil(w.groups, gb) < want && gb > ng) gb = Math.max(ng, roundUp(gb / 2, ng));
        while (ceil(m, rb) * ceil(w.groups, gb) < want && rb > mr) rb = Math.max(mr, roundUp(rb / 2, mr));
        final int frb = rb, fgb = gb, blocks = ceil(w.groups, gb), tasks = ceil(m, rb) * blocks;
        if (threads == 1) runTasks(kernel, w, c, cOff, ldc, m, s, frb, fgb, blocks, 0, tasks);
        else pool.parallelFor(tasks, 1, (t0, t1) -> runTasks(kernel, w, c, cOff, ldc, m, s, frb, fgb, blocks, t0, t1));
        return true;
    }

    private static void prepRange(NativeIntGemm kernel, float[] a, int aOff, int lda, IntGemmWeights w, Scratch s, Quant q,
                                  int r0, int r1, AtomicInteger bad) {
        if (q != null) { // native, prepable (checked by run): never a bad row
            kernel.qprep(a, aOff, lda, w.k, w.k4, r0, r1, q.scale(), q.zp(), q.lo(), q.hi(), (int) (q.za() - q.lo()), s.u, s.ri);
            return;
        }
        int rc = kernel != null ? kernel.prep(a, aOff, lda, w.k, w.k4, r0, r1, s.u, s.ri) : jvmPrep(a, aOff, lda, w.k, w.k4, r0, r1, s.uj, s.rij);
        if (rc != 0) bad.compareAndSet(0, rc);
    }

    private static void runTasks(NativeIntGemm kernel, IntGemmWeights w, float[] c, int cOff, int ldc, int m, Scratch s,
                                 int rb, int gb, int blocks, int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            int r0 = (t / blocks) * rb, r1 = Math.min(m, r0 + rb);
            int g0 = (t % blocks) * gb, g1 = Math.min(w.groups, g0 + gb);
            if (kernel != null) kernel.run(w.packed, w.cc, w.cs, w.n, w.k4, s.u, s.ri, c, cOff, ldc, r0, r1, g0, g1);
            else jvmRows(w, s.uj, s.rij, c, cOff, ldc, r0, r1, 16 * g0, Math.min(w.n, 16 * g1));
        }
    }

    /** Largest |a| over rows [0, m): each row spans [-o, 255 - o] at most. */
    private static int maxAbs(int[] ri, int m) {
        int max = 0;
        for (int r = 0; r < m; r++) max = Math.max(max, Math.max(Math.abs(ri[2 * r]), Math.abs(255 - ri[2 * r])));
        return max;
    }

    /**
     * The JVM twin for |a| <= 255: the packed float GEMM per k block of {@link IntGemmWeights#exactBlock()} columns
     * (every partial sum an integer below 2^24, so each block's float result is its exact integer sum), the blocks
     * added in int32. The same int32 result as {@link #jvmRows}, at the float GEMM's speed.
     */
    private static void floatBlocks(WorkerPool pool, float[] a, int aOff, int lda, IntGemmWeights w, float[] c, int cOff, int ldc, int m, Scratch s) {
        boolean simd = dev.ingot.kernel.KernelProvider.get().simd();
        PackedB[] blocks = w.blocks(Gemm.nr(simd));
        int n = w.n;
        if (s.part == null || s.part.length < m * n) {
            s.part = new float[m * n];
            s.sum = new int[m * n];
        }
        float[] part = s.part;
        int[] sum = s.sum;
        int k0 = 0;
        for (int b = 0; b < blocks.length; k0 += blocks[b].k, b++) {
            Gemm.run(pool, simd, a, aOff + k0, lda, blocks[b], part, 0, n, m);
            if (b == 0) for (int i = 0; i < m * n; i++) sum[i] = (int) part[i];
            else for (int i = 0; i < m * n; i++) sum[i] += (int) part[i];
        }
        for (int r = 0; r < m; r++) for (int j = 0; j < n; j++) c[cOff + r * ldc + j] = sum[r * n + j];
    }

    /** JVM twin of the native prep: 0, or 1 + the first row that is not integral with range <= 255. */
    static int jvmPrep(float[] a, int aOff, int lda, int k, int k4, int r0, int r1, byte[] u, int[] ri) {
        for (int r = r0; r < r1; r++) {
            int ao = aOff + r * lda;
            float lo = a[ao], hi = a[ao];
            for (int i = 0; i < k; i++) {
                float v = a[ao + i];
                if (v != Math.rint(v)) return r + 1; // NaN fails too
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (!(hi - lo <= 255f) || !(Math.abs(lo) < 65536f)) return r + 1;
            int o = -(int) lo, sum = 0, uo = r * k4;
            for (int i = 0; i < k; i++) {
                int q = (int) a[ao + i] + o;
                u[uo + i] = (byte) q;
                sum += q;
            }
            java.util.Arrays.fill(u, uo + k, uo + k4, (byte) 0);
            ri[2 * r] = o;
            ri[2 * r + 1] = sum;
        }
        return 0;
    }

    /** JVM twin of the native tiles: rows [r0, r1) x columns [n0, n1), the same int32 sums and corrections. */
    static void jvmRows(IntGemmWeights w, byte[] u, int[] ri, float[] c, int cOff, int ldc, int r0, int r1, int n0, int n1) {
        int k = w.k, k4 = w.k4;
        byte[] s = w.rows;
        for (int r = r0; r < r1; r++) {
            int uo = r * k4, o = ri[2 * r], sumU = ri[2 * r + 1];
            for (int j = n0; j < n1; j++) {
                int so = j * k, acc = 0;
                for (int i = 0; i < k; i++) acc += (u[uo + i] & 0xff) * s[so + i];
                c[cOff + r * ldc + j] = (float) (acc + w.cc[j] * sumU - w.cs[j] * o);
            }
        }
    }

    private static int ceil(int x, int y) { return (x + y - 1) / y; }

    private static int roundUp(int x, int y) { return ceil(x, y) * y; }
}
