package dev.ingot.ir.interp;

/** RMSNorm and LayerNorm over the last axis, statistics in double, each output rounded once to F32. */
final class NormKernels {
    private NormKernels() {}

    /** y = x / sqrt(mean(x²) + eps) * w. x [rows, D], w [D]. */
    static Tensor rmsNorm(Tensor x, Tensor w, float eps) {
        float[] xs = x.floatsForRead();
        int d = (int) x.dim(-1);
        float[] ws = w.toFloatArray();
        float[] out = new float[xs.length];
        for (int r = 0; r < xs.length / Math.max(d, 1); r++) {
            int base = r * d;
            double ss = 0;
            for (int i = 0; i < d; i++) ss += (double) xs[base + i] * xs[base + i];
            double scale = 1.0 / Math.sqrt(ss / d + eps);
            for (int i = 0; i < d; i++) out[base + i] = (float) (xs[base + i] * scale * ws[i]);
        }
        return Tensor.f32(out, x.shape());
    }

    /** y = (x - mean) / sqrt(var + eps) * w + b with the biased variance; b may be null. */
    static Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        float[] xs = x.floatsForRead();
        int d = (int) x.dim(-1);
        float[] ws = w.toFloatArray();
        float[] bs = b == null ? null : b.toFloatArray();
        float[] out = new float[xs.length];
        for (int r = 0; r < xs.length / Math.max(d, 1); r++) {
            int base = r * d;
            double mean = 0;
            for (int i = 0; i < d; i++) mean += xs[base + i];
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) var += (xs[base + i] - mean) * (xs[base + i] - mean);
            double inv = 1.0 / Math.sqrt(var / d + eps);
            for (int i = 0; i < d; i++) out[base + i] = (float) ((xs[base + i] - mean) * inv * ws[i] + (bs == null ? 0 : bs[i]));
        }
        return Tensor.f32(out, x.shape());
    }
}
