package dev.ingot.runtime.sample;

import java.util.Arrays;

/**
 * Candidates for top-p without top-k, in O(vocab) plus a sort of roughly the nucleus only. One pass puts each
 * token's probability mass into a histogram over its distance below the max logit; the buckets are summed
 * from the top until they hold top_p of the mass, and only tokens in those buckets (plus one bucket of margin
 * for rounding) are sorted. A peaked distribution therefore sorts a handful of tokens, a flat one up to the
 * whole vocabulary, which is the least top-p can do.
 */
final class Nucleus {
    private static final int BUCKETS = 1024;
    /** Logit distance covered by the histogram; tokens further below the max share the last bucket. */
    private static final float RANGE = 32f;
    private static final float SCALE = BUCKETS / RANGE;

    private final double[] mass = new double[BUCKETS];
    private long[] keys = new long[0];

    /**
     * Writes the candidate ids, best first (larger logit, then lower id), into {@code ids} and returns how
     * many. The candidates are a prefix-closed superset of the nucleus; the caller cuts them exactly.
     * {@code probs} is scratch of length at least n.
     */
    int candidates(float[] w, int n, float[] probs, double topP, int[] ids) {
        float max = VecMath.max(w, n);
        double total = VecMath.sumExp(w, n, max, probs);
        Arrays.fill(mass, 0);
        for (int i = 0; i < n; i++) mass[bucket(max, w[i])] += probs[i];
        double need = topP * total, cum = 0;
        int last = BUCKETS - 1;
        for (int b = 0; b < BUCKETS; b++) {
            cum += mass[b];
            if (cum >= need) {
                last = Math.min(BUCKETS - 1, b + 1);
                break;
            }
        }
        if (keys.length < n) keys = new long[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            // sort key: descending logit in the high half, ascending id in the low half
            if (bucket(max, w[i]) <= last) keys[count++] = ((long) ~sortable(w[i]) << 32) | i;
        }
        Arrays.sort(keys, 0, count);
        for (int j = 0; j < count; j++) ids[j] = (int) keys[j];
        return count;
    }

    private static int bucket(float max, float x) {
        float d = (max - x) * SCALE; // +inf for a -inf logit
        return d < BUCKETS ? (int) d : BUCKETS - 1;
    }

    /** Float bits mapped to ints whose signed order is the floats' order. */
    private static int sortable(float x) {
        int b = Float.floatToRawIntBits(x);
        return b ^ ((b >> 31) & 0x7fffffff);
    }
}
