package dev.ingot.kernel.elementwise;

/** Scalar twin of {@link VectorElementwise}; float math in the same order of operations where it matters. */
public final class ScalarElementwise implements Elementwise {
    @Override
    public void rmsNorm(float[] x, int xo, float[] w, int wo, float[] out, int oo, int n, float eps) {
        float ss = 0;
        for (int i = 0; i < n; i++) ss += x[xo + i] * x[xo + i];
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] * inv * w[wo + i];
    }

    @Override
    public void swiglu(float[] gate, int go, float[] up, int uo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[go + i];
            out[oo + i] = g / (1f + (float) Math.exp(-g)) * up[uo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    @Override
    public void softmax(float[] x, int xo, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[xo + i]);
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            x[xo + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) x[xo + i] *= inv;
    }

    @Override
    public void rope(float[] x, int xo, int nHeads, int headDim, RopeTable t) {
        int nRot = t.nRot(), half = nRot / 2;
        for (int h = 0; h < nHeads; h++) {
            int b = xo + h * headDim;
            for (int j = 0; j < half; j++) {
                if (t.mode() == RopeTable.Mode.NORM) {
                    float a = x[b + 2 * j], c = x[b + 2 * j + 1];
                    float cs = t.cos[2 * j], sn = t.sin[2 * j + 1];
                    x[b + 2 * j] = a * cs - c * sn;
                    x[b + 2 * j + 1] = c * cs + a * sn;
                } else {
                    float a = x[b + j], c = x[b + j + half];
                    float cs = t.cos[j], sn = t.sin[j];
                    x[b + j] = a * cs - c * sn;
                    x[b + j + half] = c * cs + a * sn;
                }
            }
        }
    }
}
