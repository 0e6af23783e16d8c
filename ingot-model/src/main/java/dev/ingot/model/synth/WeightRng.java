package dev.ingot.model.synth;

/**
 * Deterministic, fast pseudo-random rows. Row {@code r} of tensor {@code t} gets its own SplitMix64 stream
 * seeded from (seed, t, r), so the bytes of a file do not depend on how rows are spread over threads.
 * Normal variates use the Irwin-Hall approximation: the sum of four 16-bit uniforms from one 64-bit draw,
 * centred and scaled to unit variance (support +-3.46, kurtosis 2.7 instead of 3); cheap enough to fill a
 * billion weights in seconds, and the statistics that matter for benchmarks (mean 0, std 1) are exact.
 */
public final class WeightRng {
    private static final double CENTRE = 4 * 32767.5;
    private static final double INV_STD = 1.0 / Math.sqrt(4 * (65536.0 * 65536.0 - 1) / 12.0);

    private long state;

    private WeightRng(long state) { this.state = state; }

    /** The stream for row {@code row} of tensor number {@code tensor}. */
    public static WeightRng forRow(long seed, int tensor, long row) {
        return new WeightRng(mix(mix(seed ^ 0x6A09E667F3BCC909L) + tensor * 0x9E3779B97F4A7C15L + row));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** An approximately N(0,1) value (see class comment). */
    public float nextNormal() {
        long r = nextLong();
        long s = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
        return (float) ((s - CENTRE) * INV_STD);
    }

    /** Fills {@code out[0..n)} with {@code mean + std * N(0,1)}. */
    public void fill(float[] out, int n, float mean, float std) {
        for (int i = 0; i < n; i++) out[i] = mean + std * nextNormal();
    }
}
