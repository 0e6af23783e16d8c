package dev.ingot.codegen.jvm;

/**
 * Scalar math helpers for generated code (scalar twins and vector tails). Kept apart from {@link Intrinsics}
 * so that scalar kernels load and run in a JVM without {@code jdk.incubator.vector}. Float in, float out;
 * exp/tanh/cos/sin round a double result.
 */
public final class ScalarMath {
    private ScalarMath() {}

    /*
     * erf(x) = x P(x^2) / Q(x^2) on x clamped to [-4, 4] (beyond, erf rounds to +-1 in float): Eigen's float erf
     * (a rational minimax fit), max |error| 3.3e-7 with float arithmetic (the former A&S 7.1.26 with exp: 4.8e-7)
     * and no exp call, so GELU's erf costs one division and eleven FMAs.
     */
    static final float[] ERF_P = {-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
        -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f, -1.60960333262415e-02f};
    static final float[] ERF_Q = {-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
        -7.37332916720468e-03f, -1.42647390514189e-02f};
    static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI), INV_SQRT_2 = (float) (1 / Math.sqrt(2));

    public static float sqrt(float x) { return (float) Math.sqrt(x); }

    public static float rsqrt(float x) { return 1f / (float) Math.sqrt(x); }

    public static float recip(float x) { return 1f / x; }

    public static float exp(float x) { return (float) Math.exp(x); }

    public static float tanh(float x) { return (float) Math.tanh(x); }

    public static float cos(float x) { return (float) Math.cos(x); }

    public static float sin(float x) { return (float) Math.sin(x); }

    public static float sigmoid(float x) { return 1f / (1f + (float) Math.exp(-x)); }

    public static float silu(float x) { return x / (1f + (float) Math.exp(-x)); }

    public static float erf(float x) {
        float c = Math.min(Math.max(x, -4f), 4f), x2 = c * c;
        float p = ERF_P[0];
        for (int i = 1; i < ERF_P.length; i++) p = Math.fma(x2, p, ERF_P[i]);
        float q = ERF_Q[0];
        for (int i = 1; i < ERF_Q.length; i++) q = Math.fma(x2, q, ERF_Q[i]);
        return c * p / q;
    }

    /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static float gelu_tanh(float x) {
        return 0.5f * x * (1f + tanh(SQRT_2_OVER_PI * Math.fma(0.044715f * x * x, x, x)));
    }

    /** {@link #erf}'s numerator coefficients, highest power of x^2 first (for kernels in other languages that must compute the same floats). */
    public static float[] erfNumerator() { return ERF_P.clone(); }

    /** {@link #erf}'s denominator coefficients, highest power of x^2 first. */
    public static float[] erfDenominator() { return ERF_Q.clone(); }

    /** The float {@link #gelu_erf} multiplies x by before erf. */
    public static float invSqrt2() { return INV_SQRT_2; }

    /** {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static float gelu_erf(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT_2));
    }
}
