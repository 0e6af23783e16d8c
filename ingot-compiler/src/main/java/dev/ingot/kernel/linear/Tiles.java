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

    /** Rows n, n+1 x 4 tokens: y[yo + t*ys + r] = sum(a_rt) + bias[n + r]. */
    static void store2x4(float[] y, int yo, int ys, float[] bias, int n,
                         FloatVector a00, FloatVector a01, FloatVector a02, FloatVector a03,
                         FloatVector a10, FloatVector a11, FloatVector a12, FloatVector a13) {
        float b0 = bias == null ? 0 : bias[n], b1 = bias == null ? 0 : bias[n + 1];
        y[yo] = a00.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + 1] = a10.reduceLanes(VectorOperators.ADD) + b1;
        y[yo + ys] = a01.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + ys + 1] = a11.reduceLanes(VectorOperators.ADD) + b1;
        y[yo + 2 * ys] = a02.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + 2 * ys + 1] = a12.reduceLanes(VectorOperators.ADD) + b1;
        y[yo + 3 * ys] = a03.reduceLanes(VectorOperators.ADD) + b0;
        y[yo + 3 * ys + 1] = a13.reduceLanes(VectorOperators.ADD) + b1;
    }
}
