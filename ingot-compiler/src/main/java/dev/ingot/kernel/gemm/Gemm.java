package dev.ingot.kernel.gemm;

import dev.ingot.codegen.jvm.ScalarMath;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.nativec.NativeSgemm;
import dev.ingot.kernel.parallel.WorkerPool;

/**
 * {@code C [M, N] = A [M, K] . W^T} over a {@link PackedB}, split across a {@link WorkerPool}. Work is a grid of
 * tasks (row block x panel group): a row block of A ({@code mc} rows) and a group's panels ({@code pg} panels) are
 * each sized to about {@link #BLOCK_BYTES}, so a task's operands stay in L2 while its tiles run; the grid is
 * refined until there are at least {@link #TASKS_PER_THREAD} tasks per thread (the pool hands them out
 * dynamically, so a descheduled thread on a busy host delays only its current task). Each task runs on the native
 * kernel ({@link NativeSgemm}, AVX-512 C, same panels and bit for bit the same result) when given one, else on the
 * JVM tiles.
 */
public final class Gemm {
    private Gemm() {}

    /** Bytes of A rows, and of W panels, one task touches: a quarter of a 2 MiB L2 each. */
    static final int BLOCK_BYTES = 512 * 1024;
    /**
     * Two, not more: at 16 rows a task of one 32-column panel is ~2 us, and fewer, longer tasks (contiguous panels
     * streamed by one core) ran all-MiniLM's 16-token linears 8% faster on two threads (1x16: 0.92 -> 1.00x ONNX
     * Runtime) with no loss at 128 or 4096 rows.
     */
    static final int TASKS_PER_THREAD = 2;
    /** Rows per thread from which rows, not panels, are split across threads (two 12-row tiles each). */
    static final int AFFINE_ROWS = 24;
    /** Depth of a k block: KC x NR floats of a panel (32 KiB at NR = 32) fit L1 beside the tile's A rows. */
    static final int KC = 256;

    /** Panel width for {@code simd} kernels (or the scalar twin): pack weights with this. */
    public static int nr(boolean simd) { return simd ? VectorGemm.NR : 16; }

    /** The native kernel for weights packed with {@link #nr(boolean) nr(simd)}, or null (no C compiler, no AVX-512). */
    public static NativeSgemm nativeKernel(boolean simd) {
        return simd && nr(true) == NativeSgemm.NR ? NativeBackend.get().sgemm().orElse(null) : null;
    }

    /**
     * What each finished output {@code c[r, j]} becomes before it is stored, in this order: {@code + bias[j]} (null:
     * none), {@code + c[residualOff + r*ldc + j]} (a residual in C's own array, laid out as C; negative: none), then
     * {@code ScalarMath.gelu_erf} of it. Each step rounds as the separate op after the GEMM would, so folding a
     * BERT bias add, residual add or GELU into the GEMM changes no bit, and saves that op's pass over C.
     */
    public record Epilogue(float[] bias, int residualOff, boolean gelu) {
        public static final Epilogue NONE = new Epilogue(null, -1, false);

        public static Epilogue bias(float[] bias) { return new Epilogue(bias, -1, false); }

        boolean residual() { return residualOff >= 0; }
    }

    /** As {@link #run(WorkerPool, boolean, NativeSgemm, float[], int, int, PackedB, float[], int, int, int, Epilogue)} on the JVM tiles. */
    public static void run(WorkerPool pool, boolean simd, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc, int m) {
        run(pool, simd, null, a, aOff, lda, b, c, cOff, ldc, m, Epilogue.NONE);
    }

    /**
     * {@code c[cOff + r*ldc + j] = sum_k a[aOff + r*lda + k] * W[j][k]} for r in [0, m), j in [0, N), then the
     * epilogue, on {@code kernel} (null: the JVM tiles). {@code b} must have been packed with
     * {@link #nr(boolean) nr(simd)}. The epilogue runs on each task's block right after its product, while the
     * block is still in cache.
     */
    public static void run(WorkerPool pool, boolean simd, NativeSgemm kernel, float[] a, int aOff, int lda, PackedB b,
                           float[] c, int cOff, int ldc, int m, Epilogue ep) {
        float[] bias = ep.bias();
        if (bias != null && bias.length < b.n) throw new IllegalArgumentException("bias of " + bias.length + " for " + b.n + " columns");
        if (b.nr != nr(simd)) throw new IllegalArgumentException("weights packed with nr=" + b.nr + ", kernel needs " + nr(simd));
        if (kernel != null && b.nr != NativeSgemm.NR) throw new IllegalArgumentException("native sgemm needs nr=" + NativeSgemm.NR + ", weights have " + b.nr);
        if (m <= 0) return;
        // the C kernel trusts its arguments: check the extents once here
        if (aOff < 0 || lda < b.k || (long) aOff + (long) (m - 1) * lda + b.k > a.length) throw new IndexOutOfBoundsException("a");
        if (cOff < 0 || ldc < b.n || (long) cOff + (long) (m - 1) * ldc + b.n > c.length) throw new IndexOutOfBoundsException("c");
        if (ep.residual()) { // read as each block is stored, so it may not share a float with C
            long r0 = ep.residualOff(), r1 = r0 + (long) (m - 1) * ldc + b.n, c1 = (long) cOff + (long) (m - 1) * ldc + b.n;
            if (r1 > c.length) throw new IndexOutOfBoundsException("residual");
            if (r0 < c1 && cOff < r1) throw new IllegalArgumentException("residual [" + r0 + ", " + r1 + ") overlaps C [" + cOff + ", " + c1 + ")");
        }
        int threads = pool == null ? 1 : pool.threads();
        int rowBytes = Math.max(1, b.k * 4), panelBytes = Math.max(1, b.k * b.nr * 4);
        int mc = Math.max(8, BLOCK_BYTES / rowBytes / 8 * 8);
        int pg = Math.max(1, BLOCK_BYTES / panelBytes);
        // refine: split panels first (weights then still stream once), rows only when panels run out. Rounding the
        // group size down, not up: 12 panels over 8 wanted tasks are 12 tasks of one panel, not 6 of two that then
        // halve the rows (at 16 rows that read every weight twice and ran 8-row tiles: 10-15% slower, M = 16 encoders)
        int want = threads * TASKS_PER_THREAD;
        if (threads > 1 && m >= threads * AFFINE_ROWS) {
            // rows split evenly by thread (the pool hands thread i the i-th contiguous share of tasks, row blocks
            // first): each core reads the A rows and writes the C rows that its share of the row-split op before
            // and after (LayerNorm, elementwise groups) touches, instead of all of them
            int rowBlocks = ceil(ceil(m, mc), threads) * threads;
            mc = ceil(m, rowBlocks);
            pg = Math.min(pg, Math.max(1, b.panels / ceil(want, rowBlocks)));
        } else {
            pg = Math.min(pg, Math.max(1, b.panels / ceil(want, ceil(m, mc))));
            while (ceil(m, mc) * ceil(b.panels, pg) < want && mc > 8) mc = Math.max(8, (mc / 2) / 8 * 8);
        }
        final int rowBlocks = ceil(m, mc), groups = ceil(b.panels, pg), fmc = mc, fpg = pg;
        if (pool == null || threads == 1) {
            runTasks(simd, kernel, a, aOff, lda, b, c, cOff, ldc, m, ep, fmc, fpg, groups, 0, rowBlocks * groups);
            return;
        }
        pool.parallelFor(rowBlocks * groups, 1, (t0, t1) -> runTasks(simd, kernel, a, aOff, lda, b, c, cOff, ldc, m, ep, fmc, fpg, groups, t0, t1));
    }

    /** Tasks [t0, t1) of the grid; task t is row block t / groups, panel group t % groups. */
    private static void runTasks(boolean simd, NativeSgemm kernel, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc,
                                 int m, Epilogue ep, int mc, int pg, int groups, int t0, int t1) {
        float[] scratch = b.n % b.nr != 0 && kernel == null ? new float[8 * b.nr] : null;
        for (int t = t0; t < t1; t++) {
            int r0 = (t / groups) * mc, r1 = Math.min(m, r0 + mc);
            int p0 = (t % groups) * pg, p1 = Math.min(b.panels, p0 + pg);
            if (kernel != null) { // the same k blocks and tile order, in C
                kernel.run(a, aOff, lda, b.offHeap(), b.k, b.n, c, cOff, ldc, r0, r1, p0, p1, ep.bias(), ep.residualOff(), ep.gelu());
                continue;
            }
            // k blocks of KC: a panel slice [KC][NR] (32 KiB at NR = 32) stays in L1 across the block's row tiles
            for (int k0 = 0; k0 < b.k; k0 += KC) {
                int k1 = Math.min(b.k, k0 + KC);
                for (int p = p0; p < p1; p++) {
                    if (simd) VectorGemm.panel(a, aOff, lda, b, p, k0, k1, c, cOff, ldc, r0, r1, scratch);
                    else ScalarGemm.panel(a, aOff, lda, b, p, k0, k1, c, cOff, ldc, r0, r1);
                }
            }
            int j0 = p0 * b.nr, j1 = Math.min(b.n, p1 * b.nr);
            if (ep.bias() != null) addBias(ep.bias(), c, cOff, ldc, r0, r1, j0, j1);
            if (ep.residual()) addResidual(c, ep.residualOff(), cOff, ldc, r0, r1, j0, j1);
            if (ep.gelu()) gelu(c, cOff, ldc, r0, r1, j0, j1);
        }
    }

    private static void gelu(float[] c, int cOff, int ldc, int r0, int r1, int j0, int j1) {
        for (int r = r0; r < r1; r++) {
            int o = cOff + r * ldc;
            for (int j = j0; j < j1; j++) c[o + j] = ScalarMath.gelu_erf(c[o + j]);
        }
    }

    /** c[r, j] += bias[j] over rows [r0, r1) x columns [j0, j1) (a simple loop C2 vectorises). */
    private static void addBias(float[] bias, float[] c, int cOff, int ldc, int r0, int r1, int j0, int j1) {
        for (int r = r0; r < r1; r++) {
            int o = cOff + r * ldc;
            for (int j = j0; j < j1; j++) c[o + j] += bias[j];
        }
    }

    /** c[r, j] += c[resOff + r*ldc + j] over rows [r0, r1) x columns [j0, j1). */
    private static void addResidual(float[] c, int resOff, int cOff, int ldc, int r0, int r1, int j0, int j1) {
        for (int r = r0; r < r1; r++) {
            int o = cOff + r * ldc, q = resOff + r * ldc;
            for (int j = j0; j < j1; j++) c[o + j] += c[q + j];
        }
    }

    private static int ceil(int x, int y) { return (x + y - 1) / y; }
}
