package dev.ingot.kernel.linear;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Epilogues shared by the SIMD linear kernels: reduce accumulators, add bias, store. */
final class Tiles {
    private Tiles() {}

    /** y[yo + r] = sum(a_r) + bias[n + r] for the 4 rows n..n+3 of one token. */
    static void store4(float[] y, int yo, float[] bias, int n,
                       FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        if (bias != null) {
            s0 += bias[n]; s1 += bias[n + 1]; s2 += bias[n + 2]; s3 += bias[n + 3];
        }
        y[yo] = s0; y[yo + 1] = s1; y[yo + 2] = s2; y[yo + 3] = s3;
    }
}
