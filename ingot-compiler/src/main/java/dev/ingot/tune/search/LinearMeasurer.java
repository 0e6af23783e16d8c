package dev.ingot.tune.search;

import dev.ingot.kernel.nativec.KernelSelector;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.LinearCalls;
import dev.ingot.tune.LinearSchedule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Times a {@link LinearSchedule} as the compiled program runs it: the whole [N, K] matrix for T tokens through
 * a one-part {@link GroupedLinear} (the call site of every linear step) on the worker pool. Per candidate: warm-up calls (at least {@link #WARM_CALLS} and
 * {@link #WARM_NS}; the first candidate of a JVM kernel also lets C2 finish), then timed calls (at least
 * {@link #MIN_REPS} and {@link #MIN_TIMED_NS}, at most {@link #MAX_REPS}); the result is their median and
 * relative interquartile spread. {@link #measurePair} alternates single calls of two schedules and keeps the
 * median of the per-pair ratios: on a shared host the speed available to a 2-thread kernel swings by several
 * times within seconds (measured on this project's VM), and only calls made back to back see the same machine. Weights: the model's own (from {@code weights}) or seeded random ones;
 * activations: seeded uniform [-1, 1). Not thread-safe; close to free the random weights.
 */
public final class LinearMeasurer implements Measurer<LinearSchedule>, AutoCloseable {
    static final int WARM_CALLS = 3, MIN_REPS = 7, MAX_REPS = 31;
    static final long WARM_NS = 30_000_000L, MIN_TIMED_NS = 60_000_000L;

    private final WorkerPool pool;
    private final NativeBackend backend;
    private final Function<KernelSignature, MemorySegment> weights;
    private final Arena arena = Arena.ofShared();
    private final Map<KernelSignature, MemorySegment> randomWeights = new HashMap<>();
    private final Map<KernelSignature, float[][]> buffers = new HashMap<>();

    /** @param weights the real weights of a signature, or null (or a null result) for seeded random ones */
    public LinearMeasurer(WorkerPool pool, NativeBackend backend, Function<KernelSignature, MemorySegment> weights) {
        this.pool = pool;
        this.backend = backend;
        this.weights = weights;
    }

    @Override
    public Measurement measure(KernelSignature sig, LinearSchedule s) {
        Runnable call = prepare(sig, s);
        long[] ns = new long[MAX_REPS];
        int n = 0;
        long spent = 0;
        while (n < MAX_REPS && (n < MIN_REPS || spent < MIN_TIMED_NS)) {
            ns[n] = time(call);
            spent += ns[n++];
        }
        return Measurement.of(java.util.Arrays.copyOf(ns, n));
    }

    /** Alternating single calls of a and b (order flipped every pair), each pair's b / a ratio kept. */
    @Override
    public Pair measurePair(KernelSignature sig, LinearSchedule a, LinearSchedule b) {
        Runnable ca = prepare(sig, a), cb = prepare(sig, b);
        long[] ta = new long[MAX_REPS], tb = new long[MAX_REPS];
        long[] ratio = new long[MAX_REPS]; // b / a in parts per million, for Measurement.of's median and spread
        int n = 0;
        long spent = 0;
        while (n < MAX_REPS && (n < MIN_REPS || spent < MIN_TIMED_NS)) {
            if ((n & 1) == 0) { ta[n] = time(ca); tb[n] = time(cb); }
            else { tb[n] = time(cb); ta[n] = time(ca); }
            ratio[n] = Math.max(1, Math.round(1e6 * tb[n] / (double) ta[n]));
            spent += ta[n] + tb[n++];
        }
        Measurement r = Measurement.of(java.util.Arrays.copyOf(ratio, n));
        return new Pair(Measurement.of(java.util.Arrays.copyOf(ta, n)), Measurement.of(java.util.Arrays.copyOf(tb, n)),
                r.ns() / 1e6, r.noise());
    }

    /** The call for {@code s} on this signature's weights and buffers, warmed up. */
    private Runnable prepare(KernelSignature sig, LinearSchedule s) {
        MemorySegment w = weightsOf(sig);
        GroupedLinear call = LinearCalls.single(s, sig.dtype(), w, sig.n(), sig.k(), pool, backend);
        float[][] xy = buffers.computeIfAbsent(sig, k -> {
            SplittableRandom r = new SplittableRandom(0x7e57L ^ k.text().hashCode());
            float[] x = new float[k.tokens() * k.k()];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
            return new float[][] {x, new float[k.tokens() * k.n()]};
        });
        int N = sig.n(), K = sig.k(), T = sig.tokens();
        int[] yOff = {0}, yStride = {N};
        Runnable run = () -> call.run(pool, xy[0], 0, K, xy[1], yOff, yStride, T);
        long warmEnd = System.nanoTime() + WARM_NS;
        for (int i = 0; i < WARM_CALLS || System.nanoTime() < warmEnd; i++) run.run();
        return run;
    }

    private static long time(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return System.nanoTime() - t0;
    }

    private MemorySegment weightsOf(KernelSignature sig) {
        MemorySegment w = weights == null ? null : weights.apply(sig);
        if (w != null) return w;
        return randomWeights.computeIfAbsent(sig, k -> random(arena, k.dtype(), k.n(), k.k(), 42));
    }

    /** Seeded random weights with finite scales; float dtypes get values in [-0.05, 0.05). */
    static MemorySegment random(Arena arena, DType t, int N, int K, long seed) {
        return switch (t) {
            case F32, F16, BF16 -> {
                MemorySegment w = arena.allocate(t.rowBytes(K) * N, 64);
                SplittableRandom r = new SplittableRandom(seed);
                long n = (long) N * K;
                for (long i = 0; i < n; i++) {
                    float v = (float) (r.nextDouble() * 0.1 - 0.05);
                    switch (t) {
                        case F32 -> w.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                        case F16 -> w.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                        default -> w.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (Float.floatToRawIntBits(v) >>> 16));
                    }
                }
                yield w;
            }
            default -> KernelSelector.randomWeights(arena, t, N, K);
        };
    }

    @Override
    public void close() { arena.close(); }
}
