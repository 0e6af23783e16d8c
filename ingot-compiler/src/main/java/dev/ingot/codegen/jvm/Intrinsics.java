package dev.ingot.codegen.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector helpers that generated kernels call with {@code invokestatic} (scalar ones are in {@link ScalarMath},
 * a class that loads without {@code jdk.incubator.vector}). Each is a few bytes of bytecode, so C2 inlines it
 * into the kernel loop and the {@code FloatVector} values stay in registers (no box escapes). They use the
 * Vector API's SVML-backed lanewise operators and the same formulas as {@link ScalarMath}.
 */
public final class Intrinsics {
    private Intrinsics() {}

    private static final float P0 = ScalarMath.ERF_P[0], P1 = ScalarMath.ERF_P[1], P2 = ScalarMath.ERF_P[2],
            P3 = ScalarMath.ERF_P[3], P4 = ScalarMath.ERF_P[4], P5 = ScalarMath.ERF_P[5], P6 = ScalarMath.ERF_P[6];
    private static final float Q0 = ScalarMath.ERF_Q[0], Q1 = ScalarMath.ERF_Q[1], Q2 = ScalarMath.ERF_Q[2],
            Q3 = ScalarMath.ERF_Q[3], Q4 = ScalarMath.ERF_Q[4];
    private static final float SQRT_2_OVER_PI = ScalarMath.SQRT_2_OVER_PI, INV_SQRT_2 = ScalarMath.INV_SQRT_2;

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

    /** {@link ScalarMath#erf} lane by lane, the same operations in the same order. */
    public static FloatVector erfV(FloatVector x) {
        FloatVector c = x.max(-4f).min(4f), x2 = c.mul(c);
        FloatVector p = x2.fma(P0, P1).fma(x2, x.broadcast(P2)).fma(x2, x.broadcast(P3)).fma(x2, x.broadcast(P4))
                .fma(x2, x.broadcast(P5)).fma(x2, x.broadcast(P6));
        FloatVector q = x2.fma(Q0, Q1).fma(x2, x.broadcast(Q2)).fma(x2, x.broadcast(Q3)).fma(x2, x.broadcast(Q4));
        return c.mul(p).div(q);
    }
}
