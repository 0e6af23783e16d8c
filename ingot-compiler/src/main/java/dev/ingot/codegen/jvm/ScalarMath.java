package dev.ingot.codegen.jvm;

/**
 * Scalar math helpers for generated code (scalar twins and vector tails). Kept apart from {@link Intrinsics}
 * so that scalar kernels load and run in a JVM without {@code jdk.incubator.vector}. Float in, float out;
 * exp/tanh/cos/sin round a double result.
 */
public final class ScalarMath {
    private ScalarMath() {}

    // Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7 for erf on all reals.
    static final float ERF_P = 0.3275911f;
    static final float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;
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
        float a = Math.abs(x);
        float t = 1f / Math.fma(ERF_P, a, 1f);
        float poly = t * Math.fma(t, Math.fma(t, Math.fma(t, Math.fma(t, A5, A4), A3), A2), A1);
        float r = 1f - poly * (float) Math.exp(-a * a);
        return Math.copySign(r, x);
    }


    /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static float gelu_tanh(float x) {
        return 0.5f * x * (1f + tanh(SQRT_2_OVER_PI * Math.fma(0.044715f * x * x, x, x)));
    }

    /** {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static float gelu_erf(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT_2));
    }
}
