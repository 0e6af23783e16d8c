package dev.ingot.server.bench;

import java.util.Arrays;

/**
 * Aggregates of one load run. Latencies in milliseconds.
 *
 * @param concurrency     clients sending at once
 * @param requests        requests completed
 * @param failed          requests that got an error status or broke off
 * @param seconds         wall time of the run
 * @param outputTokens    completion tokens over all requests (from the usage chunks)
 */
public record LoadResult(int concurrency, int requests, int failed, double seconds, long outputTokens,
                         double ttftP50, double ttftP99, double itlP50, double itlP99, double ttftMean) {
    public double outputTokensPerSecond() {
        return outputTokens / seconds;
    }

    public double requestsPerSecond() {
        return requests / seconds;
    }

    /** Nearest-rank percentile of {@code values} (ms); NaN when empty. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.clamp(rank - 1, 0, s.length - 1)];
    }
}
