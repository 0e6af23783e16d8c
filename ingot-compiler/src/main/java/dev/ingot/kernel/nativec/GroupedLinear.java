package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The parallel call site of linear layers: one layer, or several that read the same activations run as one
 * call (horizontal fusion):
 * {@code y_i [T, N_i] = x [T, K] · W_iᵀ (+ b_i)}, e.g. a layer's Q, K and V projections or its FFN gate and up.
 * One worker-pool dispatch and barrier instead of one per layer, the activations quantised once for a native
 * kernel instead of once per layer, and the small K/V projections balanced together with Q.
 *
 * <p>A native kernel quantises the activations once per call (tokens split over the pool when there are many),
 * then runs on the packed ("x16") weights ({@link PackedWeights}, packed at construction) in chunks of whole
 * 16-row groups, or on the row-major weights ({@link Packing#NONE}) in row chunks; a JVM kernel runs on the
 * weights as stored. The parts' rows are cut into chunks
 * once, at construction (each chunk within one part); a call hands the chunk indices to the pool. All parts
 * use one kernel and share K. One instance per call site; not for concurrent use by two callers.
 */
public final class GroupedLinear implements RangeTask {
    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> MemorySegment.NULL);
    /** Calls of at least this many tokens run on AMX tiles where the kernel has them (a tile holds 16 tokens). */
    public static final int AMX_MIN_TOKENS = Integer.getInteger("ingot.amx.minTokens", 16);
    /**
     * Calls of at least this many tokens quantise their activations on the pool; fewer, on the calling thread. At 16
     * tokens (16 x 768-2048 floats, a few microseconds) the extra dispatch and barrier per call, and the other core
     * then fetching the quantised rows, cost more than the split saved: 16-sequence decode on the 110M model went
     * from 1,384-1,442 to 1,445-1,545 tok/s with the threshold at 64 (EngineBench, three A/B pairs).
     */
    static final int PARALLEL_QUANTIZE_TOKENS = 64;

    private final LinearKernel kernel;
    private final NativeLinear nat;          // kernel as native, or null
    private final boolean packed;            // native on packed weights (16-row groups) or row-major (rows)
    private final MemorySegment[] w;      // as stored (JVM kernel) or packed (native)
    private final int[] n;
    private final float[][] bias;
    private final int K;
    private final int tokenBlock; // JVM: tokens per kernel call within a chunk, 0 = all
    private final Chunks chunks;
    private final Quantize quantize = new Quantize();
    private final boolean amx;               // packed Q8_0 calls of >= AMX_MIN_TOKENS run on AMX tiles
    private boolean amxCall;

    // per call
    private float[] x, y;
    private int xOff, xStride, T;
    private int[] yOff, yStride;
    private MemorySegment xq = MemorySegment.NULL;

    /** How a native kernel gets its weights. */
    public enum Packing {
        /** row-major as stored: no preparation (a quick first program) */
        NONE,
        /** packed once per weight (the fast kernels), the packing split over the worker pool */
        POOL,
        /** packed on the calling thread: a background compile must not hold the pool the engine is stepping on */
        CALLER
    }

    /**
     * @param w    each part's weights [N_i, K] in the kernel's storage type
     * @param n    N_i
     * @param bias each part's bias [N_i] or null
     */
    public GroupedLinear(LinearKernel kernel, MemorySegment[] w, int[] n, int K, float[][] bias, WorkerPool pool) {
        this(kernel, w, n, K, bias, pool, Packing.POOL);
    }

    public GroupedLinear(LinearKernel kernel, MemorySegment[] w, int[] n, int K, float[][] bias, WorkerPool pool, Packing packing) {
        this(kernel, w, n, K, bias, pool, packing, 0, 0);
    }

    /**
     * With the tuner's schedule knobs ({@code dev.ingot.tune.LinearSchedule}; 0 = the defaults below):
     * {@code grain}, the chunk size in 16-row groups (packed native) or rows (JVM, rounded up to the 4-row tile;
     * row-major native keeps its default), and {@code tokenBlock} (JVM), the tokens per kernel call within a
     * chunk, so a block's activations and the chunk's weights can both stay in L2. Neither changes a result
     * beyond which register tile computes it.
     */
    public GroupedLinear(LinearKernel kernel, MemorySegment[] w, int[] n, int K, float[][] bias, WorkerPool pool, Packing packing,
                         int grain, int tokenBlock) {
        this(kernel, w, n, K, bias, pool, packing, grain, tokenBlock, false);
    }

    /**
     * @param amx whether calls of at least {@link #AMX_MIN_TOKENS} tokens run on AMX tiles, where the kernel has
     *            them and the weights are packed: the same packed weights and quantised activations as the VNNI
     *            kernel, 16 tokens x 16 rows per tile multiply ({@code amx.c.tmpl}).
     */
    public GroupedLinear(LinearKernel kernel, MemorySegment[] w, int[] n, int K, float[][] bias, WorkerPool pool, Packing packing,
                         int grain, int tokenBlock, boolean amx) {
        if (grain < 0 || tokenBlock < 0) throw new IllegalArgumentException("grain " + grain + ", tokenBlock " + tokenBlock);
        this.tokenBlock = kernel instanceof NativeLinear ? 0 : tokenBlock;
        if (w.length != n.length || n.length != bias.length || n.length == 0) throw new IllegalArgumentException("parts disagree");
        this.kernel = kernel;
        this.nat = kernel instanceof NativeLinear nl ? nl : null;
        this.packed = nat != null && packing != Packing.NONE;
        this.amx = amx && packed && nat.amx();
        this.w = w.clone();
        this.n = n.clone();
        this.bias = bias.clone();
        this.K = K;
        // the C side trusts its arguments: the weights' bounds are checked once here, x and y per call
        if (nat != null && K % 32 != 0) throw new IllegalArgumentException("K = " + K + " is not a multiple of 32");
        for (int i = 0; i < n.length; i++) {
            if (bias[i] != null && bias[i].length < n[i]) throw new IndexOutOfBoundsException("bias of part " + i);
            if (w[i].byteSize() < n[i] * kernel.dtype().rowBytes(K)) throw new IndexOutOfBoundsException("weights of part " + i);
            if (nat != null && !w[i].isNative()) throw new IllegalArgumentException("native kernels need off-heap weights");
            if (packed) this.w[i] = PackedWeights.of(nat, w[i], n[i], K, packing == Packing.POOL ? pool : null);
        }
        // chunk units: 16-row groups (packed) or rows; one grain for the whole group of parts
        int unit = packed ? 16 : 1, units = 0;
        for (int v : n) units += (v + unit - 1) / unit;
        if (nat != null && !packed) grain = 0; // the tuned grain is in 16-row groups of the packed layout
        if (grain == 0) grain = packed ? nativeGrain(kernel.dtype().rowBytes(K), units, pool.threads())
                : nat != null ? rowMajorGrain(kernel.dtype().rowBytes(K), units, pool.threads(), nat.source().rowBlock())
                : ParallelLinear.grain(kernel.dtype().rowBytes(K), units);
        else if (nat == null) grain = (grain + 3) & ~3;
        this.chunks = Chunks.cut(n, unit, grain);
    }

    /** Work items of a call: chunk c covers units [from[c], to[c]) (rows or 16-row groups) of part part[c]. */
    private record Chunks(int[] part, int[] from, int[] to) {
        /** Each part's {@code n[i]} rows in units of {@code unit} rows, cut into chunks of {@code grain} units. */
        static Chunks cut(int[] n, int unit, int grain) {
            int count = 0;
            for (int v : n) count += ((v + unit - 1) / unit + grain - 1) / grain;
            Chunks c = new Chunks(new int[count], new int[count], new int[count]);
            for (int i = 0, k = 0; i < n.length; i++) {
                int partUnits = (n[i] + unit - 1) / unit;
                for (int u = 0; u < partUnits; u += grain, k++) {
                    c.part[k] = i;
                    c.from[k] = u;
                    c.to[k] = Math.min(partUnits, u + grain);
                }
            }
            return c;
        }

        int size() { return part.length; }
    }

    /**
     * Row groups per chunk: ~256 KiB of weights (long sequential streams), a multiple of the 4-group decode
     * tile, but at least ~4 chunks per thread so that dynamic claiming can balance the cores.
     */
    public static int nativeGrain(long rowBytes, int groups, int threads) {
        int g = (int) Math.max(4, (256 * 1024) / Math.max(1, 16 * rowBytes)) & ~3;
        while (g > 1 && (groups + g - 1) / g < 4 * threads) g = g > 4 ? (g / 2) & ~3 : g - 1;
        return Math.max(1, g);
    }

    /**
     * Rows per chunk for the row-major native kernel: ~64 KiB of weights, at least 2 chunks per thread when N
     * allows, whole cache blocks (so no 1-row tail tiles).
     */
    static int rowMajorGrain(long rowBytes, int N, int threads, int rowBlock) {
        int g = (int) Math.max(rowBlock, (64 * 1024) / Math.max(1, rowBytes));
        g = Math.min(g, Math.max(rowBlock, N / (2 * threads)));
        return (g + rowBlock - 1) / rowBlock * rowBlock;
    }

    public int parts() { return n.length; }

    public LinearKernel kernel() { return kernel; }

    public boolean packed() { return packed; }

    /** True when calls of at least {@link #AMX_MIN_TOKENS} tokens run on AMX tiles. */
    public boolean amx() { return amx; }

    /** The weight memory calls read: as stored, or packed. */
    public java.util.List<MemorySegment> weightsRead() { return java.util.List.of(w); }

    /** Runs every part: part i's token t row at {@code y[yOff[i] + t * yStride[i]]}. */
    public void run(WorkerPool pool, float[] x, int xOff, int xStride, float[] y, int[] yOff, int[] yStride, int T) {
        if (T <= 0) return;
        for (int i = 0; i < n.length; i++) {
            checkBounds(x, xOff, xStride, y, yOff[i], yStride[i], T, n[i]);
        }
        this.x = x; this.xOff = xOff; this.xStride = xStride; this.y = y; this.yOff = yOff; this.yStride = yStride; this.T = T;
        this.amxCall = amx && T >= AMX_MIN_TOKENS;
        try {
            if (nat != null) {
                long need = amxCall ? NativeLinear.packedAmxActivationBytes(K, T)
                        : T * (packed ? NativeLinear.packedTokenBytes(K) : NativeLinear.tokenBytes(K));
                xq = BUFFER.get();
                if (xq.byteSize() < need) {
                    xq = Arena.ofAuto().allocate(need + need / 4, 64);
                    BUFFER.set(xq);
                }
                if (T >= PARALLEL_QUANTIZE_TOKENS) pool.parallelFor(T, Math.max(1, T / (2 * pool.threads())), quantize);
                else quantize.run(0, T);
            }
            pool.parallelFor(chunks.size(), 1, this);
        } finally {
            this.x = null; this.y = null; this.yOff = null; this.yStride = null;
            xq = MemorySegment.NULL;
        }
    }

    /** The C side trusts its arguments: check them here rather than fault in native code. */
    private void checkBounds(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int T, int N) {
        if (xOff < 0 || (long) xOff + (long) (T - 1) * xStride + K > x.length) throw new IndexOutOfBoundsException("x");
        if (yOff < 0 || (long) yOff + (long) (T - 1) * yStride + N > y.length) throw new IndexOutOfBoundsException("y");
    }

    @Override
    public void run(int from, int to) {
        for (int c = from; c < to; c++) {
            int p = chunks.part()[c], u0 = chunks.from()[c], u1 = chunks.to()[c];
            if (amxCall) nat.rowsPackedAmx(w[p], n[p], K, xq, y, yOff[p], yStride[p], T, bias[p], u0, u1);
            else if (packed) nat.rowsPacked(w[p], n[p], K, xq, y, yOff[p], yStride[p], T, bias[p], u0, u1);
            else if (nat != null) nat.rowsQuantized(w[p], K, xq, y, yOff[p], yStride[p], T, bias[p], u0, u1);
            else if (tokenBlock == 0 || T <= tokenBlock) kernel.rows(w[p], K, x, xOff, xStride, y, yOff[p], yStride[p], T, bias[p], u0, u1);
            else for (int t0 = 0; t0 < T; t0 += tokenBlock) {
                kernel.rows(w[p], K, x, xOff + t0 * xStride, xStride, y, yOff[p] + t0 * yStride[p], yStride[p],
                        Math.min(tokenBlock, T - t0), bias[p], u0, u1);
            }
        }
    }

    private final class Quantize implements RangeTask {
        @Override public void run(int from, int to) {
            if (amxCall) nat.quantizePackedAmx(x, xOff, xStride, K, from, to, T, xq);
            else if (packed) nat.quantizePacked(x, xOff, xStride, K, from, to, xq);
            else nat.quantize(x, xOff, xStride, K, from, to, xq);
        }
    }
}
