package dev.ingot.kernel.nativec;

/**
 * Java emulation of the native kernels' arithmetic: each 32-element block of x quantised as llama.cpp's
 * quantize_row_q8_0 (d = max|x| / 127, q = round-half-even(x / d), d stored as fp16), integer dot against the
 * decoded weight quants, block term = idot * dw * dx. Weights come in dequantised (q * dw); the block's dw is
 * recovered as max|w| / max|q| implicitly by summing w * qx * dx in double, which equals idot * dw * dx exactly.
 */
public final class QuantRef {
    private QuantRef() {}

    /** {sum of block terms, sum of |block terms|} for one row w against x[xo .. xo + K). */
    public static double[] dot(float[] w, float[] x, int xo, int K) {
        double s = 0, mag = 0;
        for (int b = 0; b < K / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[xo + 32 * b + j]));
            float d = amax / 127f, id = d != 0 ? 1f / d : 0f;
            float dx = Float.float16ToFloat(Float.floatToFloat16(d));
            double term = 0;
            for (int j = 0; j < 32; j++) {
                int q = (int) Math.rint(x[xo + 32 * b + j] * id);
                term += (double) w[32 * b + j] * q;
            }
            term *= dx;
            s += term;
            mag += Math.abs(term);
        }
        return new double[] {s, mag};
    }
}
