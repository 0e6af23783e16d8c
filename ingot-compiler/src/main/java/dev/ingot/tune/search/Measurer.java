package dev.ingot.tune.search;

import dev.ingot.tune.KernelSignature;

/** Times schedules on one signature. Real: {@link LinearMeasurer}; tests use deterministic fakes. */
@FunctionalInterface
public interface Measurer<S> {
    /** Throws {@link IllegalStateException} when {@code s} cannot run here (e.g. its native kernel does not build). */
    Measurement measure(KernelSignature sig, S s);

    /**
     * {@code b} timed against {@code a}: {@code ratio} is b's time over a's, {@code ratioNoise} its relative
     * spread. Real measurers alternate single calls of a and b, so drift of the machine's speed (other
     * processes on a shared host) cancels in each pair; this default measures one after the other.
     */
    default Pair measurePair(KernelSignature sig, S a, S b) {
        Measurement ma = measure(sig, a), mb = measure(sig, b);
        return new Pair(ma, mb, mb.ns() / ma.ns(), Math.max(ma.noise(), mb.noise()));
    }

    /** A paired measurement: each side's own median and spread, and the median of the per-pair time ratios b / a. */
    record Pair(Measurement a, Measurement b, double ratio, double ratioNoise) {}
}
