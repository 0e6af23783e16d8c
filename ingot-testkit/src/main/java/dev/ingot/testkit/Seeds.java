package dev.ingot.testkit;

import java.util.Random;

/**
 * Seeded randomness for tests. Every seed is printed so a failure can be replayed with {@code -Dingot.seed=N}.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed for {@code what}: {@code -Dingot.seed} when given, else a fixed default derived from the name. */
    public static long seed(String what) {
        String fixed = System.getProperty("ingot.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : what.hashCode() * 0x9E3779B97F4A7C15L;
        System.out.println("[seed] " + what + " seed=" + seed);
        return seed;
    }

    public static Random random(String what) {
        return new Random(seed(what));
    }

    /** Uniform floats in [-scale, scale). */
    public static float[] floats(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (r.nextFloat() * 2 - 1) * scale;
        return a;
    }
}
