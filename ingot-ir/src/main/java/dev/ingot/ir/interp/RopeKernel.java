package dev.ingot.ir.interp;

import dev.ingot.ir.LlmOp;

/**
 * Rotary position embedding over x [T, H, D]: pair i in [0, rotDim/2) of each head rotates by
 * theta = pos * base^(-2i/rotDim) / freqFactors[i] (angles in double). NORM pairs (2i, 2i+1), NEOX pairs
 * (i, i + rotDim/2); dims at and past rotDim are copied.
 */
final class RopeKernel {
    private RopeKernel() {}

    static Tensor rope(LlmOp.Rope op, Tensor x, Tensor positions, Tensor freqFactors) {
        float[] xs = x.floatsForRead();
        int t = (int) x.dim(0), h = (int) x.dim(1), d = (int) x.dim(2);
        int half = op.rotDim() / 2;
        float[] out = xs.clone();
        double[] invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = Math.pow(op.base(), -2.0 * i / op.rotDim()) / (freqFactors == null ? 1.0 : freqFactors.getDouble(i));
        }
        for (int tok = 0; tok < t; tok++) {
            long pos = positions.getLong(tok);
            for (int i = 0; i < half; i++) {
                double theta = pos * invFreq[i];
                double c = Math.cos(theta), s = Math.sin(theta);
                int i0 = op.mode() == LlmOp.RopeMode.NORM ? 2 * i : i;
                int i1 = op.mode() == LlmOp.RopeMode.NORM ? 2 * i + 1 : i + half;
                for (int head = 0; head < h; head++) {
                    int base = (tok * h + head) * d;
                    double a = xs[base + i0], b = xs[base + i1];
                    out[base + i0] = (float) (a * c - b * s);
                    out[base + i1] = (float) (a * s + b * c);
                }
            }
        }
        return Tensor.f32(out, x.shape());
    }
}
