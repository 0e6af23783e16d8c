package dev.ingot.tune.db;

/**
 * One measured candidate of a search, kept for the cost model (training data across runs and models) and the
 * report (search progress, predicted vs measured).
 *
 * @param run         the search it belongs to (its start time, ISO-8601): reports plot the latest run per signature
 * @param seq         order of measurement within its search (0 = first)
 * @param ns          median ns per call
 * @param baselineNs  the baseline time {@code ns} is compared with: ns / the paired measurement's ratio
 * @param noise       relative spread of the samples (half the interquartile range / median)
 * @param predictedNs the cost model's prediction made before the measurement (a held-out prediction), or null
 *                    when the candidate was not chosen by the model (defaults, random seeds)
 * @param phase       {@code default}, {@code seed}, {@code model} or {@code explore}
 */
public record Trial(String run, String cpu, int threads, String version, String signature, String schedule, int seq,
                    double ns, double noise, double baselineNs, Double predictedNs, String phase) {
    boolean valid() {
        return run != null && cpu != null && version != null && signature != null && schedule != null && phase != null
                && ns > 0 && Double.isFinite(ns) && baselineNs > 0 && Double.isFinite(baselineNs) && noise >= 0 && (predictedNs == null || Double.isFinite(predictedNs));
    }
}
