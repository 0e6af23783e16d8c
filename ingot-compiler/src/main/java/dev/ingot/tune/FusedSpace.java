package dev.ingot.tune;

import java.util.List;

/**
 * The schedule space of the fused row kernels (rms_norm, add_rms_norm, swiglu, add) on {@code threads} worker
 * threads, as {@code FusedCall} runs them. One gene, {@code grain}: rows per claim of a worker split, 0 = every row
 * on the calling thread. The default ({@link #heuristic}) splits only calls that move at least
 * {@link #SPLIT_BYTES}: a split costs a pool dispatch, ~1-2 us here, which a decode row of a few thousand floats
 * does not repay, while a 128-token call ran 1.8-2.4x faster split (1B, tuned rows). Canonical form: a grain of
 * at least T rows runs inline (the pool does not split a job of one chunk), so it is serial; at T = 1 the space is
 * that one point. Vector width is not a gene: the generated kernels take the platform's preferred species, and
 * these kernels are bound by memory, not lanes.
 */
public final class FusedSpace implements ScheduleSpace<FusedSchedule> {
    private static final List<Gene> GENES = List.of(new Gene("grain", new int[] {0, 1, 2, 4, 8, 16, 32, 64}));
    private static final List<String> FEATURES = List.of("op", "log2T", "log2N", "log2Bytes", "serial", "log2Grain",
            "log2Chunks", "chunkImbalance", "log2ChunkBytes", "threads");
    /** Op kinds, their index a cost-model feature. */
    private static final List<String> OPS = List.of("rms_norm", "add_rms_norm", "swiglu", "add");

    private final int threads;

    public FusedSpace(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads " + threads);
        this.threads = threads;
    }

    /** Kernel code version rows are valid for: the code generator's. */
    public static String version() { return dev.ingot.compiler.cache.CompilerVersion.ID; }

    /** Bytes a call must read and write before the default splits it over the workers. */
    static final long SPLIT_BYTES = 512 * 1024;

    /**
     * The tuned schedule of fused op {@code sig} from the database, or the {@link #heuristic} default when there is
     * no usable row.
     */
    public static FusedSchedule lookup(TunedRows rows, KernelSignature sig, int threads) {
        FusedSpace space = new FusedSpace(threads);
        return rows.tuned(sig, threads, version(), space::parse).orElseGet(() -> heuristic(sig, threads));
    }

    /**
     * Serial below {@link #SPLIT_BYTES} moved (or fewer than two rows per thread), else two claims per thread: the
     * rows a grain of the space, so the tuner's default is a point it also measures.
     */
    public static FusedSchedule heuristic(KernelSignature sig, int threads) {
        int T = sig.tokens();
        if (threads < 2 || T < 2 * threads || 4L * streams(sig.op()) * sig.n() * T < SPLIT_BYTES) return FusedSchedule.SERIAL;
        int want = (T + 2 * threads - 1) / (2 * threads), grain = 1;
        for (int v : GENES.getFirst().values()) if (v > 0 && v <= want) grain = v;
        return new FusedSchedule(grain);
    }

    /** Rows of n floats a call reads and writes per token. */
    private static int streams(String op) {
        return switch (op) { case "add_rms_norm" -> 4; case "rms_norm" -> 2; default -> 3; };
    }

    @Override public String family() { return "fused"; }

    @Override public List<Gene> genes() { return GENES; }

    @Override
    public FusedSchedule decode(KernelSignature sig, int[] g) {
        int grain = GENES.getFirst().value(g[0]);
        return grain == 0 || grain >= sig.tokens() ? FusedSchedule.SERIAL : new FusedSchedule(grain);
    }

    @Override
    public int[] encode(FusedSchedule s) {
        return new int[] {GENES.getFirst().index(s.grain())};
    }

    @Override public List<FusedSchedule> defaults(KernelSignature sig) {
        FusedSchedule h = heuristic(sig, threads);
        return h.equals(FusedSchedule.SERIAL) ? List.of(h) : List.of(h, FusedSchedule.SERIAL);
    }

    @Override
    public FusedSchedule parse(String text) {
        FusedSchedule s = FusedSchedule.parse(text);
        encode(s);
        return s;
    }

    @Override
    public double[] features(KernelSignature sig, FusedSchedule s) {
        int T = sig.tokens(), n = sig.n(), op = OPS.indexOf(sig.op());
        int streams = streams(sig.op()); // rows read + written
        int grain = s.grain() == 0 ? T : s.grain(), chunks = (T + grain - 1) / grain;
        int workers = s.grain() == 0 ? 1 : threads, rounds = (chunks + workers - 1) / workers;
        return new double[] {op, log2(T), log2(n), log2(4.0 * streams * n * T), s.grain() == 0 ? 1 : 0, log2(grain), log2(chunks),
                (rounds * workers - chunks) / (double) (rounds * workers), log2(4.0 * streams * n * grain), threads};
    }

    private static double log2(double v) { return Math.log(v) / Math.log(2); }

    @Override public List<String> featureNames() { return FEATURES; }
}
