package dev.ingot.codegen.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Math helpers that generated kernels call with {@code invokestatic}. Each is a few bytes of bytecode,
 * so C2 inlines it into the kernel loop and the {@code FloatVector} values stay in registers (no box
 * escapes). Scalar versions compute in float, except exp/tanh/cos/sin which round a double result;
 * vector versions use the Vector API's SVML-backed lanewise operators.
 */
public final class Intrinsics {
    private Intrinsics() {}

    // Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7 for erf on all reals.
    private static final float ERF_P = 0.3275911f;
    private static final float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;

    /**
     * The species a generated class was compiled for. Generated code bakes the lane count into its loop
     * steps, so a class built for another width (a stale cache entry from another CPU) must not run.
     */
    public static VectorSpecies<Float> species(int expectedLanes) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        if (s.length() != expectedLanes) {
            throw new IllegalStateException("kernel compiled for " + expectedLanes + " float lanes, this JVM has " + s.length());
        }
        return s;
    }

    /** {@code [0, 1, ..., VL-1]}: lane offsets for {@code float(i)} in vector loops. */
    public static FloatVector iota(VectorSpecies<Float> s) {
        float[] a = new float[s.length()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return FloatVector.fromArray(s, a, 0);
    }

    /** {@code [0, stride, 2*stride, ...]} of {@code lanes} entries: the index map of a strided gather/scatter. */
    public static int[] strideMap(int lanes, int stride) {
        int[] m = new int[lanes];
        for (int i = 0; i < lanes; i++) m[i] = i * stride;
        return m;
    }

    // ---- scalar ----
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

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI), INV_SQRT_2 = (float) (1 / Math.sqrt(2));

    /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static float gelu_tanh(float x) {
        return 0.5f * x * (1f + tanh(SQRT_2_OVER_PI * Math.fma(0.044715f * x * x, x, x)));
    }

    /** {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static float gelu_erf(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT_2));
    }

    // ---- vector ----
    public static FloatVector gelu_tanhV(FloatVector x) {
        FloatVector inner = x.mul(x).mul(0.044715f).fma(x, x).mul(SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }

    public static FloatVector gelu_erfV(FloatVector x) {
        return x.mul(0.5f).mul(erfV(x.mul(INV_SQRT_2)).add(1f));
    }

    public static FloatVector sqrtV(FloatVector x) { return x.sqrt(); }

    public static FloatVector rsqrtV(FloatVector x) { return x.broadcast(1f).div(x.sqrt()); }

    public static FloatVector recipV(FloatVector x) { return x.broadcast(1f).div(x); }

    public static FloatVector expV(FloatVector x) { return x.lanewise(VectorOperators.EXP); }

    public static FloatVector tanhV(FloatVector x) { return x.lanewise(VectorOperators.TANH); }

    public static FloatVector cosV(FloatVector x) { return x.lanewise(VectorOperators.COS); }

    public static FloatVector sinV(FloatVector x) { return x.lanewise(VectorOperators.SIN); }

    public static FloatVector sigmoidV(FloatVector x) {
        FloatVector one = x.broadcast(1f);
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }

    public static FloatVector siluV(FloatVector x) {
        return x.div(x.broadcast(1f).add(x.neg().lanewise(VectorOperators.EXP)));
    }

    public static FloatVector erfV(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector t = x.broadcast(1f).div(a.fma(ERF_P, 1f));
        FloatVector poly = t.fma(A5, A4).fma(t, x.broadcast(A3)).fma(t, x.broadcast(A2)).fma(t, x.broadcast(A1)).mul(t);
        FloatVector r = x.broadcast(1f).sub(poly.mul(a.mul(a).neg().lanewise(VectorOperators.EXP)));
        return r.blend(r.neg(), x.compare(VectorOperators.LT, 0f));
    }
}
