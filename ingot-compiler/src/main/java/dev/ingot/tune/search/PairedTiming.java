package dev.ingot.tune.search;

import dev.ingot.tune.KernelSignature;
import java.util.Arrays;

/**
 * What every real-machine measurer shares: a subclass builds the call of a schedule ({@link #prepare}), this times it. A call is warmed up (at least {@link #WARM_CALLS} and
 * {@link #WARM_NS}; the first schedule of a JVM kernel also lets C2 finish), then timed (at least
 * {@link #MIN_REPS} calls and {@link #MIN_TIMED_NS}, at most {@link #MAX_REPS}): the median and relative
 * interquartile spread. {@link #pair} alternates single calls of two schedules and keeps the median of the
 * per-pair ratios: on a shared host the speed available to a 2-thread kernel swings by several times within
 * seconds (measured on this project's VM), and only calls made back to back see the same machine.
 */
abstract class PairedTiming<S> implements Measurer<S>, AutoCloseable {
    static final int WARM_CALLS = 3, MIN_REPS = 7, MAX_REPS = 31;
    static final long WARM_NS = 30_000_000L, MIN_TIMED_NS = 60_000_000L;

    /** The call that runs {@code s} on {@code sig}'s inputs, already warm ({@link #warm}). */
    abstract Runnable prepare(KernelSignature sig, S s);

    /** A prepared call, and what runs untimed before each timed run of it (null: nothing). */
    record Call(Runnable run, Runnable before) {}

    /**
     * {@link #prepare}d, with nothing before each run by default. The linear measurer flushes the weights from the
     * caches before each run of a memory-bound shape.
     */
    Call call(KernelSignature sig, S s) { return new Call(prepare(sig, s), null); }

    @Override
    public Measurement measure(KernelSignature sig, S s) {
        Call c = call(sig, s);
        return single(c.run(), c.before());
    }

    @Override
    public Pair measurePair(KernelSignature sig, S a, S b) {
        Call ca = call(sig, a), cb = call(sig, b);
        return pair(ca.run(), ca.before(), cb.run(), cb.before());
    }

    /** Frees the inputs the measurer allocated. */
    @Override public abstract void close();

    /** Runs {@code call} until warm; returns it. */
    static Runnable warm(Runnable call) {
        long warmEnd = System.nanoTime() + WARM_NS;
        for (int i = 0; i < WARM_CALLS || System.nanoTime() < warmEnd; i++) call.run();
        return call;
    }

    static Measurement single(Runnable call) { return single(call, null); }

    static Measurement single(Runnable call, Runnable before) {
        long[] ns = new long[MAX_REPS];
        int n = 0;
        long spent = 0;
        while (n < MAX_REPS && (n < MIN_REPS || spent < MIN_TIMED_NS)) {
            ns[n] = time(call, before);
            spent += ns[n++];
        }
        return Measurement.of(Arrays.copyOf(ns, n));
    }

    /** Alternating single calls of a and b (order flipped every pair), each pair's b / a ratio kept. */
    static Measurer.Pair pair(Runnable ca, Runnable cb) { return pair(ca, null, cb, null); }

    static Measurer.Pair pair(Runnable ca, Runnable beforeA, Runnable cb, Runnable beforeB) {
        long[] ta = new long[MAX_REPS], tb = new long[MAX_REPS];
        long[] ratio = new long[MAX_REPS]; // b / a in parts per million, for Measurement.of's median and spread
        int n = 0;
        long spent = 0;
        while (n < MAX_REPS && (n < MIN_REPS || spent < MIN_TIMED_NS)) {
            if ((n & 1) == 0) { ta[n] = time(ca, beforeA); tb[n] = time(cb, beforeB); }
            else { tb[n] = time(cb, beforeB); ta[n] = time(ca, beforeA); }
            ratio[n] = Math.max(1, Math.round(1e6 * tb[n] / (double) ta[n]));
            spent += ta[n] + tb[n++];
        }
        Measurement r = Measurement.of(Arrays.copyOf(ratio, n));
        return new Measurer.Pair(Measurement.of(Arrays.copyOf(ta, n)), Measurement.of(Arrays.copyOf(tb, n)), r.ns() / 1e6, r.noise());
    }

    private static long time(Runnable call, Runnable before) {
        if (before != null) before.run();
        long t0 = System.nanoTime();
        call.run();
        return System.nanoTime() - t0;
    }
}
