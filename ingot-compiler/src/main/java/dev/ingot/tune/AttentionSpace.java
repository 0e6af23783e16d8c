package dev.ingot.tune;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.attention.AttentionKernel;
import dev.ingot.kernel.attention.ParallelAttention;
import dev.ingot.kernel.attention.VectorAttention;
import dev.ingot.kernel.nativec.NativeAttention;
import dev.ingot.kernel.nativec.NativeBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule space of paged attention on {@code threads} worker threads, as {@code ParallelAttention} runs it.
 * Genes (value lists):
 * <ul>
 *   <li>{@code backend}: 0 = JVM {@code VectorAttention}, 1 = AVX-512 C {@code NativeAttention} (where it builds
 *       and the shape is one it takes: headDim a multiple of 16, at most 64 heads, blocks of at most 64 slots);</li>
 *   <li>{@code units}: work units per worker thread, 0 = every item on the calling thread;</li>
 *   <li>{@code prefetch} (native): blocks ahead the C kernel prefetches, 0 = none (a template parameter: one
 *       library per distance).</li>
 * </ul>
 * Signatures carry a context bucket ({@link #contextBucket}): a decode step's time grows with its context, and
 * so does the work behind each unit, which moves the best split. Canonical form: the JVM kernel has no prefetch;
 * {@code units} values that cut the bucket's items into the same units become the smallest of them.
 */
public final class AttentionSpace implements ScheduleSpace<AttentionSchedule> {
    /** Context buckets: a context of c tokens belongs to the smallest at least c (beyond the last, the last). */
    public static final int[] CONTEXTS = {256, 1024, 4096, 16384, 65536};
    private static final int BACKEND = 0, UNITS = 1, PREFETCH = 2;
    private static final List<Gene> GENES = List.of(
            new Gene("backend", new int[] {0, 1}),
            new Gene("units", new int[] {0, 1, 2, 4, 8, 16}),
            new Gene("prefetch", new int[] {0, 1, 2, 4}));
    private static final List<String> FEATURES = List.of("log2T", "log2Context", "heads", "kvHeads", "group", "headDim",
            "blockSize", "native", "units", "serial", "kvPerUnit", "log2Units", "unitImbalance", "prefetch",
            "log2UnitWork", "log2Work", "threads");

    private final int threads;
    private final boolean nativeAvailable;

    public AttentionSpace(int threads, boolean nativeAvailable) {
        if (threads < 1) throw new IllegalArgumentException("threads " + threads);
        this.threads = threads;
        this.nativeAvailable = nativeAvailable;
    }

    /** The space on this machine: the native kernel where the SIMD JVM kernel runs and {@code backend} builds its twin. */
    public static AttentionSpace here(int threads, NativeBackend backend) {
        AttentionKernel jvm = KernelProvider.get().attention();
        return new AttentionSpace(threads, jvm instanceof VectorAttention && backend.attention(jvm).isPresent());
    }

    /** Kernel code version rows are valid for: the JVM code generator's and the C template's. */
    public static String version() { return dev.ingot.compiler.cache.CompilerVersion.ID + "/" + NativeAttention.templateHash(); }

    public static int contextBucket(int ctx) {
        for (int c : CONTEXTS) if (c >= ctx) return c;
        return CONTEXTS[CONTEXTS.length - 1];
    }

    public int threads() { return threads; }

    @Override public String family() { return "attention"; }

    @Override public List<Gene> genes() { return GENES; }

    /** Whether the C kernel runs {@code sig}'s shape itself (others fall back to the JVM kernel inside it). */
    public boolean nativeFor(KernelSignature sig) {
        return nativeAvailable && head(sig) % 16 == 0 && head(sig) <= 256 && sig.n() <= 64 && block(sig) <= 64;
    }

    @Override
    public AttentionSchedule decode(KernelSignature sig, int[] g) {
        int units = canonicalUnits(sig, v(UNITS, g));
        if (v(BACKEND, g) == 0) return AttentionSchedule.jvm(units);
        if (!nativeFor(sig)) return null;
        return AttentionSchedule.nativeKernel(units, v(PREFETCH, g));
    }

    /** The smallest listed units value cutting the bucket's items as {@code units} does. */
    private int canonicalUnits(KernelSignature sig, int units) {
        if (units == 0) return 0;
        int kvPer = kvPer(sig, units);
        for (int u : GENES.get(UNITS).values()) if (u > 0 && kvPer(sig, u) == kvPer) return u;
        return units;
    }

    private int kvPer(KernelSignature sig, int units) { return ParallelAttention.kvPerUnit(units, threads, sig.tokens(), sig.k()); }

    private static int v(int gene, int[] g) { return GENES.get(gene).value(g[gene]); }

    @Override
    public int[] encode(AttentionSchedule s) {
        return new int[] {s.nativeBackend() ? 1 : 0, index(UNITS, s.unitsPerThread()), index(PREFETCH, s.prefetch())};
    }

    private static int index(int gene, int value) { return GENES.get(gene).index(value); }

    /**
     * Today's kernels, canonical for {@code sig}: the native twin prefetching the next block where it runs the
     * shape, and the JVM kernel, both with {@link ParallelAttention#UNITS_PER_THREAD}.
     */
    @Override
    public List<AttentionSchedule> defaults(KernelSignature sig) {
        List<AttentionSchedule> d = new ArrayList<>();
        if (nativeFor(sig)) d.add(decode(sig, encode(AttentionSchedule.nativeKernel(ParallelAttention.UNITS_PER_THREAD, NativeAttention.DEFAULT_PREFETCH))));
        d.add(decode(sig, encode(AttentionSchedule.jvm(ParallelAttention.UNITS_PER_THREAD))));
        return d;
    }

    @Override
    public AttentionSchedule parse(String text) {
        AttentionSchedule s = AttentionSchedule.parse(text);
        encode(s); // every value must lie in the space
        return s;
    }

    @Override
    public double[] features(KernelSignature sig, AttentionSchedule s) {
        int T = sig.tokens(), ctx = sig.context(), heads = sig.n(), nKv = sig.k(), hd = head(sig);
        int kvPer = kvPer(sig, s.unitsPerThread()), units = T * ((nKv + kvPer - 1) / kvPer);
        int workers = s.unitsPerThread() == 0 ? 1 : threads, rounds = (units + workers - 1) / workers;
        double unitWork = (double) ctx * kvPer * (heads / nKv) * hd;
        return new double[] {log2(T), log2(ctx), heads, nKv, heads / (double) nKv, hd, block(sig), s.nativeBackend() ? 1 : 0,
                s.unitsPerThread(), s.unitsPerThread() == 0 ? 1 : 0, kvPer, log2(units),
                (rounds * workers - units) / (double) (rounds * workers), s.prefetch(), log2(unitWork), log2(unitWork * units), threads};
    }

    private static int head(KernelSignature sig) { return sig.dim(2); }

    private static int block(KernelSignature sig) { return sig.dim(3); }

    private static double log2(double v) { return Math.log(v) / Math.log(2); }

    @Override public List<String> featureNames() { return FEATURES; }
}
