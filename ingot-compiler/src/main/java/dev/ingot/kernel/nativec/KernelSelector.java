package dev.ingot.kernel.nativec;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.tensor.DType;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the JVM or the native linear kernel for a signature (dtype, N, K, token bucket) by timing both, each
 * with its default schedule, on the calling thread: a slice of the weight rows (the real weights when given;
 * enough rows to stream ~8 MiB at decode, ~128 MFLOP per call at prefill), warm-up, then medians of
 * {@link #REPS} calls until they stop improving (C2 still compiling the Java kernel on a cold JVM). Choices
 * are remembered in memory; the tuning database ({@code dev.ingot.tune.TunedLinear}) keeps them on disk, so a
 * second launch does not measure again, and a tuned schedule there takes precedence over this choice.
 */
public final class KernelSelector {
    private static final System.Logger LOG = System.getLogger(KernelSelector.class.getName());
    static final int REPS = 5;
    private static final KernelSelector DEFAULT = new KernelSelector(NativeBackend.get());

    /** What was measured and chosen; times in nanoseconds per call over {@code rows} rows. */
    public record Choice(String signature, boolean nativeWins, long javaNs, long nativeNs, int rows) {}

    private final NativeBackend backend;
    private final Map<String, Choice> choices = new ConcurrentHashMap<>();

    public KernelSelector(NativeBackend backend) { this.backend = backend; }

    /** The selector of this JVM (native backend as detected). */
    public static KernelSelector get() { return DEFAULT; }

    public NativeBackend backend() { return backend; }

    public static String signature(DType dtype, int N, int K, int bucketT) {
        return dtype + ":" + N + "x" + K + ":T" + bucketT;
    }

    /** The faster kernel for this signature, timed on (the first rows of) {@code w}, or random weights when null. */
    public LinearKernel select(DType dtype, MemorySegment w, int N, int K, int bucketT) {
        LinearKernel java = KernelProvider.get().linear(dtype);
        Optional<NativeLinear> nat = backend.linear(dtype);
        if (nat.isEmpty()) return java;
        if (forced()) return nat.get();
        Choice c = choices.computeIfAbsent(signature(dtype, N, K, bucketT),
                s -> measure(s, java, nat.get(), w, N, K, Math.max(1, bucketT)));
        return c.nativeWins() ? nat.get() : java;
    }

    /**
     * Times the default JVM and native kernels for this signature (no memory, no disk); empty when there is
     * no native kernel for {@code dtype} here, so the JVM kernel is the only choice.
     */
    public Optional<Choice> measure(DType dtype, MemorySegment w, int N, int K, int bucketT) {
        Optional<NativeLinear> nat = backend.linear(dtype);
        if (nat.isEmpty()) return Optional.empty();
        Choice c = measure(signature(dtype, N, K, bucketT), KernelProvider.get().linear(dtype), nat.get(), w, N, K, Math.max(1, bucketT));
        choices.put(c.signature(), c);
        return Optional.of(c);
    }

    /** {@code -Dingot.native=force}: every linear with a native kernel runs it, unmeasured (tests of the native path). */
    public static boolean forced() { return "force".equals(System.getProperty("ingot.native")); }

    /** The remembered choice for a signature, if any. */
    public Optional<Choice> choice(DType dtype, int N, int K, int bucketT) {
        return Optional.ofNullable(choices.get(signature(dtype, N, K, bucketT)));
    }

    static Choice measure(String sig, LinearKernel java, LinearKernel nat, MemorySegment w, int N, int K, int T) {
        long rb = java.dtype().rowBytes(K);
        long byBytes = (8L << 20) / rb, byFlops = (128L << 20) / (2L * K * T);
        int rows = (int) Math.min(N, Math.max(16, T <= 4 ? byBytes : byFlops));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = w != null ? w : randomWeights(arena, java.dtype(), rows, K);
            SplittableRandom r = new SplittableRandom(0x5e1ec7L);
            float[] x = new float[T * K], y = new float[T * rows];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
            long jt = time(java, ws, K, x, y, T, rows), nt = time(nat, ws, K, x, y, T, rows);
            Choice c = new Choice(sig, nt < jt, jt, nt, rows);
            LOG.log(Level.DEBUG, () -> "kernel selection " + sig + ": java " + jt / 1000 + " us, native " + nt / 1000
                    + " us over " + c.rows() + " rows -> " + (c.nativeWins() ? "native" : "java"));
            return c;
        }
    }

    private static long time(LinearKernel k, MemorySegment w, int K, float[] x, float[] y, int T, int rows) {
        // warm-up: at least 10 calls and 100 ms; then rounds of REPS timed calls until the median stops
        // improving by 20% (on a cold JVM C2 may still be compiling the Java kernel), at most 8 rounds
        long until = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < until; i++) k.rows(w, K, x, 0, K, y, 0, rows, T, null, 0, rows);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long[] ns = new long[REPS];
            for (int i = 0; i < REPS; i++) {
                long t0 = System.nanoTime();
                k.rows(w, K, x, 0, K, y, 0, rows, T, null, 0, rows);
                ns[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(ns);
            long median = ns[REPS / 2];
            if (median > 0.8 * best) return Math.min(best, median);
            best = median;
        }
        return best;
    }

    /** Random quant bytes with finite fp16 scales (~0.01) in every block's leading scale field (Q4_0 / Q8_0 layouts). */
    public static MemorySegment randomWeights(Arena arena, DType t, int N, int K) {
        MemorySegment w = arena.allocate(t.rowBytes(K) * N, 64);
        SplittableRandom r = new SplittableRandom(42);
        for (long i = 0; i < w.byteSize(); i++) w.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        for (long o = 0; o < w.byteSize(); o += t.blockBytes()) {
            w.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16((float) (0.001 + 0.02 * r.nextDouble())));
        }
        return w;
    }
}
