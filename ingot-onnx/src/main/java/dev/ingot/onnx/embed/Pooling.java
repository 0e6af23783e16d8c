package dev.ingot.onnx.embed;

import java.util.Locale;

/** How token states {@code [batch, tokens, hidden]} become one vector per text; every result is L2-normalised. */
public enum Pooling {
    /** Mean over the positions the attention mask keeps (sentence-transformers' default). */
    MEAN,
    /** The first ([CLS]) position (BGE models). */
    CLS;

    /**
     * @param hidden row-major {@code [batch, tokens, dim]}
     * @param mask   {@code [batch][tokens]}, 1 for real tokens
     * @return {@code [batch][dim]}, each row of unit length
     */
    public float[][] pool(float[] hidden, int[][] mask, int tokens, int dim) {
        int batch = mask.length;
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            double[] acc = new double[dim];
            int base = b * tokens * dim;
            if (this == CLS) {
                for (int d = 0; d < dim; d++) acc[d] = hidden[base + d];
            } else {
                double n = 0;
                for (int t = 0; t < tokens; t++) {
                    if (mask[b][t] == 0) continue;
                    n += 1;
                    for (int d = 0; d < dim; d++) acc[d] += hidden[base + t * dim + d];
                }
                // sentence-transformers clamps the count to 1e-9, so an all-masked row pools to zero
                for (int d = 0; d < dim; d++) acc[d] /= Math.max(n, 1e-9);
            }
            out[b] = normalize(acc);
        }
        return out;
    }

    /** {@code x / max(|x|, 1e-12)}, as torch's {@code F.normalize}. */
    static float[] normalize(double[] x) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double inv = 1.0 / Math.max(Math.sqrt(ss), 1e-12);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (x[i] * inv);
        return out;
    }

    public static Pooling parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooling must be mean or cls, got '" + s + "'");
        }
    }
}
