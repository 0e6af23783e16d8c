package dev.ingot.runtime.engine;

/**
 * Token rates over the recent past: counts added into 250 ms buckets of a 20-bucket ring, so a rate covers the
 * last 5 s. Written by the engine thread, read by {@link Engine#stats()} callers; guarded by this object's lock
 * (a few integer writes per step, uncontended in practice).
 */
final class RateWindow {
    private static final long BUCKET_NANOS = 250_000_000L;
    private static final int BUCKETS = 20;

    private final long[] bucketIds = new long[BUCKETS];
    private final long[] prompt = new long[BUCKETS];
    private final long[] generated = new long[BUCKETS];
    private final long origin;

    RateWindow() {
        this(System.nanoTime());
    }

    /** A window whose bucket 0 starts at {@code origin} (nanoTime); tests pass a fixed one. */
    RateWindow(long origin) {
        this.origin = origin;
    }

    synchronized void add(long now, long promptTokens, long generatedTokens) {
        long id = (now - origin) / BUCKET_NANOS;
        int i = (int) (id % BUCKETS);
        if (bucketIds[i] != id) { // recycle a bucket older than the window
            bucketIds[i] = id;
            prompt[i] = 0;
            generated[i] = 0;
        }
        prompt[i] += promptTokens;
        generated[i] += generatedTokens;
    }

    /** {prompt tokens/s, generated tokens/s} over the buckets of the last 5 s (the current partial one included). */
    synchronized double[] rates(long now) {
        long id = (now - origin) / BUCKET_NANOS;
        long p = 0, g = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketIds[i] > id - BUCKETS && bucketIds[i] <= id) { // never-written buckets hold zeros
                p += prompt[i];
                g += generated[i];
            }
        }
        // the window spans the full buckets before the current one plus the elapsed part of the current one
        double seconds = Math.min(BUCKETS - 1, id) * (BUCKET_NANOS / 1e9) + ((now - origin) % BUCKET_NANOS) / 1e9;
        if (seconds <= 0) return new double[] {0, 0};
        return new double[] {p / seconds, g / seconds};
    }
}
