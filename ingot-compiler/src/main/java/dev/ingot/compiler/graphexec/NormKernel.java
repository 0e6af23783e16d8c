package dev.ingot.compiler.graphexec;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * LayerNorm over the last axis: {@code y = (x - mean) / sqrt(var + eps) * w + b}, biased variance, two passes over
 * each row (mean, then the centred sum of squares, which avoids the cancellation of E[x^2] - mean^2). Rows
 * {@code [r0, r1)} of {@code x [R, D]} at {@code xOff}, {@code y} at {@code yOff}; {@code w, b [D]}. Float
 * accumulation (the interpreter's double statistics agree to ~1e-6 relative for D in the thousands).
 */
final class NormKernel {
    private NormKernel() {}

    static void layerNorm(boolean simd, float[] a, int xOff, int yOff, int d, float[] w, float[] b, float eps, int r0, int r1) {
        int dv = simd ? d - d % L : 0;
        for (int r = r0; r < r1; r++) {
            int xo = xOff + r * d, yo = yOff + r * d;
            float sum = 0;
            int i = 0;
            if (dv > 0) {
                FloatVector s = FloatVector.zero(F);
                for (; i < dv; i += L) s = s.add(FloatVector.fromArray(F, a, xo + i));
                sum = s.reduceLanes(VectorOperators.ADD);
            }
            for (; i < d; i++) sum += a[xo + i];
            float mean = sum / d;
            float ss = 0;
            i = 0;
            if (dv > 0) {
                FloatVector s = FloatVector.zero(F);
                for (; i < dv; i += L) {
                    FloatVector c = FloatVector.fromArray(F, a, xo + i).sub(mean);
                    s = c.fma(c, s);
                }
                ss = s.reduceLanes(VectorOperators.ADD);
            }
            for (; i < d; i++) ss += (a[xo + i] - mean) * (a[xo + i] - mean);
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            i = 0;
            for (; i < dv; i += L) {
                FloatVector c = FloatVector.fromArray(F, a, xo + i).sub(mean).mul(inv);
                c.fma(FloatVector.fromArray(F, w, i), FloatVector.fromArray(F, b, i)).intoArray(a, yo + i);
            }
            for (; i < d; i++) a[yo + i] = (a[xo + i] - mean) * inv * w[i] + b[i];
        }
    }
}
