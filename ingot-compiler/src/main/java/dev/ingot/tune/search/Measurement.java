package dev.ingot.tune.search;

/**
 * One candidate's timing: the median ns per call over {@code samples} timed calls, and {@code noise}, half
 * the interquartile range over the median (a relative spread: 0.02 = the middle half of the samples lies
 * within about +-2% of the median).
 */
public record Measurement(double ns, double noise, int samples) {
    public Measurement {
        if (!(ns > 0) || !Double.isFinite(ns)) throw new IllegalArgumentException("ns " + ns);
        if (!(noise >= 0)) throw new IllegalArgumentException("noise " + noise);
    }

    /** From raw per-call times (sorted in place). */
    public static Measurement of(long[] ns) {
        java.util.Arrays.sort(ns);
        int n = ns.length;
        double median = n % 2 == 1 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2.0;
        double q1 = ns[n / 4], q3 = ns[Math.min(n - 1, (3 * n) / 4)];
        return new Measurement(Math.max(1, median), (q3 - q1) / 2 / Math.max(1, median), n);
    }
}
