package dev.ingot.tune.db;

import dev.ingot.tune.KernelSignature;

/**
 * One row of the tuning database: the schedule to run for {@code signature} on {@code cpu} with
 * {@code threads} worker threads (0 for thread-independent rows), valid for kernel code version
 * {@code version}.
 *
 * @param source          {@code tuned} (searched by {@code ingot tune}) or {@code selected} (the compile-time
 *                        JVM-vs-native choice between default schedules, timed on one thread)
 * @param schedule        the schedule to run, in its family's text form
 * @param jvmSchedule     the best JVM-backend schedule, for runs with the native backend off (may equal schedule)
 * @param defaultSchedule the untuned baseline it was compared against
 * @param defaultNs       median ns per call of the baseline
 * @param tunedNs         median ns per call of {@code schedule}
 * @param noise           relative spread of those medians' samples (half the interquartile range / median)
 * @param updated         ISO-8601 time of the measurement
 */
public record TunedEntry(String cpu, int threads, String version, String signature, String source,
                         String schedule, String jvmSchedule, String defaultSchedule,
                         double defaultNs, double tunedNs, double noise, String updated) {
    public static final String TUNED = "tuned", SELECTED = "selected";

    String key() { return TuningDb.key(cpu, threads, version, source, signature); }

    /** Why this row cannot be trusted, or null when it is well-formed (the schedule itself is checked by its user). */
    String problem() {
        if (cpu == null || version == null || signature == null || source == null || schedule == null
                || jvmSchedule == null || defaultSchedule == null || updated == null) return "missing field";
        if (!source.equals(TUNED) && !source.equals(SELECTED)) return "unknown source " + source;
        if (threads < 0) return "threads " + threads;
        if (!(defaultNs > 0) || !(tunedNs > 0) || !Double.isFinite(defaultNs) || !Double.isFinite(tunedNs)) return "bad times";
        if (!(noise >= 0) || !Double.isFinite(noise)) return "bad noise";
        try {
            KernelSignature.parse(signature);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    public double speedup() { return defaultNs / tunedNs; }
}
