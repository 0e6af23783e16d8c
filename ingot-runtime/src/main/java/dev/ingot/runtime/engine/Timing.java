package dev.ingot.runtime.engine;

/**
 * Latencies of one request, in nanoseconds of {@link System#nanoTime()}.
 *
 * @param queueNanos         submission to the first step that scheduled the request
 * @param timeToFirstToken   submission to the publication of the first token (of any choice)
 * @param interTokenNanos    gaps between consecutive steps that produced tokens for the request, in order
 * @param totalNanos         submission to completion
 */
public record Timing(long queueNanos, long timeToFirstToken, long[] interTokenNanos, long totalNanos) {
    public Timing {
        interTokenNanos = interTokenNanos.clone();
    }

    @Override
    public long[] interTokenNanos() {
        return interTokenNanos.clone();
    }

    /** Mean inter-token latency, or 0 with fewer than two token steps. */
    public double meanInterTokenNanos() {
        long sum = 0;
        for (long v : interTokenNanos) sum += v;
        return interTokenNanos.length == 0 ? 0 : (double) sum / interTokenNanos.length;
    }
}
