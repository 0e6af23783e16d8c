package dev.ingot.kernel.elementwise;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * SIMD elementwise baseline: full vectors of L floats, scalar tails. {@code exp} is the Vector API's
 * {@code EXP} (SVML stubs on x86; intrinsified). Scalar twin: {@link ScalarElementwise}.
 */
public final class VectorElementwise implements Elementwise {
    /** Swaps adjacent lanes (0<->1, 2<->3, ...): the partner of each element in a NORM rope pair. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);

    @Override
    public void rmsNorm(float[] x, int xo, float[] w, int wo, float[] out, int oo, int n, float eps) {
        int nv = n - n % L, i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < nv; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            acc = v.fma(v, acc);
        }
        float ss = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) ss += x[xo + i] * x[xo + i];
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (i = 0; i < nv; i += L) {
            FloatVector.fromArray(F, x, xo + i).mul(inv).mul(FloatVector.fromArray(F, w, wo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] * inv * w[wo + i];
    }

    @Override
    public void swiglu(float[] gate, int go, float[] up, int uo, float[] out, int oo, int n) {
        int nv = n - n % L, i = 0;
        for (; i < nv; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, go + i);
            FloatVector e = g.neg().lanewise(VectorOperators.EXP).add(1f);
            g.div(e).mul(FloatVector.fromArray(F, up, uo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float g = gate[go + i];
            out[oo + i] = g / (1f + (float) Math.exp(-g)) * up[uo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int nv = n - n % L, i = 0;
        for (; i < nv; i += L) {
            FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    @Override
    public void softmax(float[] x, int xo, int n) {
        int nv = n - n % L, i = 0;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < nv; i += L) mv = mv.max(FloatVector.fromArray(F, x, xo + i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        FloatVector sv = FloatVector.zero(F);
        for (i = 0; i < nv; i += L) {
            FloatVector e = FloatVector.fromArray(F, x, xo + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, xo + i);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            x[xo + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < nv; i += L) FloatVector.fromArray(F, x, xo + i).mul(inv).intoArray(x, xo + i);
        for (; i < n; i++) x[xo + i] *= inv;
    }

    @Override
    public void rope(float[] x, int xo, int nHeads, int headDim, RopeTable t) {
        int nRot = t.nRot(), half = nRot / 2;
        float[] cos = t.cos, sin = t.sin;
        boolean norm = t.mode() == RopeTable.Mode.NORM;
        // NORM works on whole vectors of pairs (L even); NEOX pairs lane j of the first half with the second.
        int span = norm ? nRot : half, nv = span - span % L;
        for (int h = 0; h < nHeads; h++) {
            int b = xo + h * headDim, j = 0;
            if (norm) {
                for (; j < nv; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, b + j);
                    v.mul(FloatVector.fromArray(F, cos, j))
                            .add(v.rearrange(SWAP_PAIRS).mul(FloatVector.fromArray(F, sin, j))).intoArray(x, b + j);
                }
                for (; j < nRot; j += 2) {
                    float a = x[b + j], c = x[b + j + 1], cs = cos[j], sn = sin[j + 1];
                    x[b + j] = a * cs - c * sn;
                    x[b + j + 1] = c * cs + a * sn;
                }
            } else {
                for (; j < nv; j += L) {
                    FloatVector a = FloatVector.fromArray(F, x, b + j), c = FloatVector.fromArray(F, x, b + j + half);
                    FloatVector cs = FloatVector.fromArray(F, cos, j), sn = FloatVector.fromArray(F, sin, j);
                    a.mul(cs).sub(c.mul(sn)).intoArray(x, b + j);
                    c.mul(cs).add(a.mul(sn)).intoArray(x, b + j + half);
                }
                for (; j < half; j++) {
                    float a = x[b + j], c = x[b + j + half], cs = cos[j], sn = sin[j];
                    x[b + j] = a * cs - c * sn;
                    x[b + j + half] = c * cs + a * sn;
                }
            }
        }
    }
}
