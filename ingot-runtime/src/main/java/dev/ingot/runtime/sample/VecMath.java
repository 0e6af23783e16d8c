package dev.ingot.runtime.sample;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vocabulary-wide passes of sampling, on the Vector API: with 150k logits a scalar {@code Math.exp} pass
 * dominates a sampling step, and the lane-wise EXP is an intrinsic (SVML) on x86. Each loop has a scalar tail.
 * Sums are taken lane-wise in float over blocks of {@value #BLOCK} vectors and accumulated in double, so the
 * error does not grow with the vocabulary (and the costly horizontal reduction runs once per block, not per vector).
 */
final class VecMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 64;

    private VecMath() {}

    /** dst[i] = NaN ? -inf : src[i] / t (t = 1: no division, so logits pass through bit-exact). */
    static void prepare(float[] src, float[] dst, int n, float t) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, src, i);
            v = v.blend(Float.NEGATIVE_INFINITY, v.test(VectorOperators.IS_NAN));
            if (t != 1f) v = v.div(t);
            v.intoArray(dst, i);
        }
        for (; i < n; i++) {
            float x = Float.isNaN(src[i]) ? Float.NEGATIVE_INFINITY : src[i];
            dst[i] = t != 1f ? x / t : x;
        }
    }

    static float max(float[] w, int n) {
        int i = 0;
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) m = m.max(FloatVector.fromArray(S, w, i));
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, w[i]);
        return max;
    }

    /** Lowest index holding the value {@code max} (which must occur in w[0, n)): vector compares, then one vector scalar. */
    static int indexOf(float[] w, int n, float max) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            if (FloatVector.fromArray(S, w, i).compare(VectorOperators.EQ, max).anyTrue()) break;
        }
        while (w[i] != max) i++;
        return i;
    }

    /** Sum of exp(w[i] - max); with {@code out != null} also stores each term. */
    static double sumExp(float[] w, int n, float max, float[] out) {
        int i = 0;
        double sum = 0;
        int bound = S.loopBound(n), step = S.length();
        while (i < bound) {
            FloatVector acc = FloatVector.zero(S);
            for (int end = Math.min(bound, i + BLOCK * step); i < end; i += step) {
                FloatVector e = FloatVector.fromArray(S, w, i).sub(max).lanewise(VectorOperators.EXP);
                if (out != null) e.intoArray(out, i);
                acc = acc.add(e);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(w[i] - max);
            if (out != null) out[i] = e;
            sum += e;
        }
        return sum;
    }
}
