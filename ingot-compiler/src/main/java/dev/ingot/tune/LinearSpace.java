package dev.ingot.tune;

import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.nativec.NativeSource;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule space of the linear family on {@code threads} worker threads, as {@code GroupedLinear} runs it.
 * Genes (value lists):
 * <ul>
 *   <li>{@code backend}: 0 = JVM Vector API kernel, 1 = packed native VNNI kernel (only where the dtype has one
 *       and the native backend is available here), 2 = the same plus AMX tiles for calls of at least
 *       {@code GroupedLinear.AMX_MIN_TOKENS} tokens (where the kernel has them: Q8_0 on AMX-INT8 CPUs);</li>
 *   <li>{@code jgrain} (JVM): rows per chunk of the worker split, 0 = the default formula (~64 KiB of weights);</li>
 *   <li>{@code tb} (JVM): tokens per kernel call inside a chunk, 0 = all;</li>
 *   <li>{@code ngrain} (native): 16-row groups per chunk, 0 = the default formula (~256 KiB, >= 4 chunks a thread);</li>
 *   <li>{@code pg} x {@code pt} (native): prefill register tile, 16-row groups x tokens; pg x pt float plus
 *       2 x pt integer accumulators must fit the 32 zmm registers ({@link #registersOk});</li>
 *   <li>{@code dg} (native): decode (T = 1) register tile, 16-row groups.</li>
 * </ul>
 * Canonical form: genes a signature cannot use are fixed (JVM: no tiles; native: no token block; T = 1: no
 * prefill tile; T > 1: no decode tile; AMX: no prefill tile; fewer tokens than AMX takes: no AMX), a token block or tile wider than T becomes "all" / one fixed wider tile,
 * and a grain covering all of N becomes the smallest listed grain that does, so schedules that run identical
 * code compare equal.
 */
public final class LinearSpace implements ScheduleSpace<LinearSchedule> {
    private static final int BACKEND = 0, JGRAIN = 1, TB = 2, NGRAIN = 3, PG = 4, PT = 5, DG = 6;
    private static final List<Gene> GENES = List.of(
            new Gene("backend", new int[] {0, 1, 2}),
            new Gene("jgrain", new int[] {0, 8, 16, 32, 64, 128, 256}),
            new Gene("tb", new int[] {0, 8, 16, 32, 64}),
            new Gene("ngrain", new int[] {0, 1, 2, 4, 8, 16, 32}),
            new Gene("pg", new int[] {1, 2, 3, 4}),
            new Gene("pt", new int[] {1, 2, 4, 6, 8, 12}),
            new Gene("dg", new int[] {1, 2, 4, 6, 8}));
    private static final List<String> FEATURES = List.of("log2N", "log2K", "log2T", "bitsPerWeight", "native",
            "log2GrainRows", "log2Chunks", "chunkImbalance", "log2TokenBlock", "pg", "pt", "accumulators", "dg",
            "tokenTailFrac", "groupTailFrac", "log2Flops", "log2ChunkBytes", "threads", "amx");

    private final int threads;
    private final boolean nativeAvailable, amxAvailable;

    /** @param nativeAvailable whether the native backend builds and loads here (see NativeBackend); no AMX */
    public LinearSpace(int threads, boolean nativeAvailable) { this(threads, nativeAvailable, false); }

    /** @param amxAvailable whether the native Q8_0 kernel has AMX tiles here ({@code NativeLinear.amx()}) */
    public LinearSpace(int threads, boolean nativeAvailable, boolean amxAvailable) {
        if (threads < 1) throw new IllegalArgumentException("threads " + threads);
        this.threads = threads;
        this.nativeAvailable = nativeAvailable;
        this.amxAvailable = nativeAvailable && amxAvailable;
    }

    /** The space on this machine: native kernels and AMX tiles where {@code backend} builds and loads them. */
    public static LinearSpace here(int threads, dev.ingot.kernel.nativec.NativeBackend backend) {
        return new LinearSpace(threads, backend.available(),
                backend.linear(DType.Q8_0).map(dev.ingot.kernel.nativec.NativeLinear::amx).orElse(false));
    }

    /** True when {@code t}'s native kernel has AMX tiles here. */
    public boolean amxFor(DType t) { return amxAvailable && t == DType.Q8_0; }

    public int threads() { return threads; }

    @Override public String family() { return "linear"; }

    @Override public List<Gene> genes() { return GENES; }

    public boolean nativeFor(DType t) { return nativeAvailable && NativeSource.supports(t); }

    /** pg x pt float accumulators and 2 x pt integer ones, plus weights and scales, within 32 zmm registers. */
    static boolean registersOk(int pg, int pt) { return pt * (pg + 2) <= 30; }

    @Override
    public LinearSchedule decode(KernelSignature sig, int[] g) {
        int T = sig.tokens();
        if (v(BACKEND, g) == 0) {
            int tb = v(TB, g);
            return LinearSchedule.jvm(covering(JGRAIN, v(JGRAIN, g), sig.n()), tb >= T ? 0 : tb);
        }
        if (!nativeFor(sig.dtype())) return null;
        boolean amx = v(BACKEND, g) == 2;
        if (amx && !amxFor(sig.dtype())) return null;
        amx &= T >= GroupedLinear.AMX_MIN_TOKENS;
        int pg = v(PG, g), pt = v(PT, g), dg = v(DG, g);
        if (!registersOk(pg, pt)) return null;
        int grain = covering(NGRAIN, v(NGRAIN, g), (sig.n() + 15) / 16);
        if (T == 1) return LinearSchedule.nativeTile(NativeSource.PACKED_GROUPS, NativeSource.PACKED_TOKENS, dg, grain);
        if (amx) return LinearSchedule.nativeTile(NativeSource.PACKED_GROUPS, NativeSource.PACKED_TOKENS, NativeSource.DECODE_GROUPS, grain, true);
        if (pt > T) { pg = 1; pt = widerThan(T); } // every token takes the 1 x 1 tail tile: pg and pt do not matter
        return LinearSchedule.nativeTile(pg, pt, NativeSource.DECODE_GROUPS, grain);
    }

    private static int v(int gene, int[] g) { return GENES.get(gene).value(g[gene]); }

    /** A grain covering all {@code units} runs as one chunk: the smallest listed grain that covers them stands for all. */
    private static int covering(int gene, int grain, int units) {
        if (grain == 0 || grain < units) return grain;
        for (int x : GENES.get(gene).values()) if (x >= units) return x;
        return grain;
    }

    /** The default prefill width where it exceeds T, else the narrowest listed width that does (pg = 1). */
    private static int widerThan(int T) {
        if (NativeSource.PACKED_TOKENS > T) return NativeSource.PACKED_TOKENS;
        for (int x : GENES.get(PT).values()) if (x > T && registersOk(1, x)) return x;
        throw new IllegalStateException("no tile is wider than " + T + " tokens");
    }

    @Override
    public int[] encode(LinearSchedule s) {
        int[] g = {0, 0, 0, 0, index(PG, NativeSource.PACKED_GROUPS), index(PT, NativeSource.PACKED_TOKENS), index(DG, NativeSource.DECODE_GROUPS)};
        if (s.nativeBackend()) {
            g[BACKEND] = s.amx() ? 2 : 1;
            g[NGRAIN] = index(NGRAIN, s.grain());
            g[PG] = index(PG, s.groups());
            g[PT] = index(PT, s.tokens());
            g[DG] = index(DG, s.decodeGroups());
        } else {
            g[JGRAIN] = index(JGRAIN, s.grain());
            g[TB] = index(TB, s.tokenBlock());
        }
        return g;
    }

    private static int index(int gene, int value) { return GENES.get(gene).index(value); }

    @Override
    public List<LinearSchedule> defaults(KernelSignature sig) {
        List<LinearSchedule> d = new ArrayList<>();
        // AMX tiles where this dtype has them (decode drops them below AMX_MIN_TOKENS): on the packed weights they
        // equal the VNNI kernel bit for bit; 1B pp128 1.1-1.2x, 110M 16-sequence steps equal (bound by memory)
        if (nativeFor(sig.dtype())) d.add(decode(sig, encode(LinearSchedule.nativeTile(NativeSource.PACKED_GROUPS,
                NativeSource.PACKED_TOKENS, NativeSource.DECODE_GROUPS, 0, amxFor(sig.dtype())))));
        d.add(LinearSchedule.jvm(0, 0));
        return d;
    }

    @Override
    public LinearSchedule parse(String text) {
        LinearSchedule s = LinearSchedule.parse(text);
        encode(s); // every value must lie in the space
        if (s.nativeBackend() && !registersOk(s.groups(), s.tokens())) throw new IllegalArgumentException("invalid native tile: " + text);
        if (s.amx() && !amxAvailable) throw new IllegalArgumentException("AMX tiles are not available here: " + text);
        return s;
    }

    /** Rows per chunk as GroupedLinear will run {@code s} (its default formula where grain is 0). */
    public int effectiveGrainRows(KernelSignature sig, LinearSchedule s) {
        long rowBytes = sig.dtype().rowBytes(sig.k());
        if (!s.nativeBackend()) return s.grain() == 0 ? ParallelLinear.grain(rowBytes, sig.n()) : (s.grain() + 3) & ~3;
        int groups = (sig.n() + 15) / 16;
        return 16 * (s.grain() == 0 ? GroupedLinear.nativeGrain(rowBytes, groups, threads) : s.grain());
    }

    @Override
    public double[] features(KernelSignature sig, LinearSchedule s) {
        int N = sig.n(), T = sig.tokens(), groups = (N + 15) / 16;
        int g = effectiveGrainRows(sig, s);
        int chunks = (N + g - 1) / g, rounds = (chunks + threads - 1) / threads;
        int tb = s.nativeBackend() || s.tokenBlock() == 0 ? T : Math.min(T, s.tokenBlock());
        boolean nat = s.nativeBackend();
        int pg = nat ? s.groups() : 0, pt = nat ? s.tokens() : 4; // JVM prefill tile: 2 rows x 4 tokens
        int acc = nat ? (T == 1 ? s.decodeGroups() : pg * pt) : (T == 1 ? 4 : 8);
        return new double[] {
                log2(N), log2(sig.k()), log2(T), 8.0 * sig.dtype().blockBytes() / sig.dtype().blockSize(),
                nat ? 1 : 0, log2(g), log2(chunks), (rounds * threads - chunks) / (double) (rounds * threads),
                log2(tb), pg, pt, acc, nat ? s.decodeGroups() : 0,
                (T % pt) / (double) T, nat ? (groups % Math.max(1, T == 1 ? s.decodeGroups() : pg)) / (double) groups : 0,
                log2(sig.flops()), log2((double) g * sig.dtype().rowBytes(sig.k())), threads, s.amx() ? 1 : 0};
    }

    private static double log2(double v) { return Math.log(v) / Math.log(2); }

    @Override public List<String> featureNames() { return FEATURES; }
}
