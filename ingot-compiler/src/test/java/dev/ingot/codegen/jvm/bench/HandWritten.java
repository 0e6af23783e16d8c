package dev.ingot.codegen.jvm.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/** What a careful engineer writes by hand with the Vector API: the baseline generated code must match. */
final class HandWritten {
    private HandWritten() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** h = x + r; out = h / rms(h) * w; rows of n. */
    static void addRmsNorm(float[] a, int xo, int ro, MemorySegment w, int ho, int oo, int rows, int n, float eps) {
        int bound = S.loopBound(n);
        for (int t = 0; t < rows; t++) {
            int b = t * n;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector s = FloatVector.fromArray(S, a, xo + b + i).add(FloatVector.fromArray(S, a, ro + b + i));
                s.intoArray(a, ho + b + i);
                acc = s.fma(s, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                float s = a[xo + b + i] + a[ro + b + i];
                a[ho + b + i] = s;
                ss = Math.fma(s, s, ss);
            }
            float inv = 1f / (float) Math.sqrt(ss / n + eps);
            FloatVector vinv = FloatVector.broadcast(S, inv);
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, ho + b + i).mul(vinv)
                        .mul(FloatVector.fromMemorySegment(S, w, (long) i * 4, ByteOrder.LITTLE_ENDIAN))
                        .intoArray(a, oo + b + i);
            }
            for (; i < n; i++) a[oo + b + i] = a[ho + b + i] * inv * w.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        }
    }

    /** out = silu(g) * u over rows*n elements. */
    static void swiglu(float[] a, int go, int uo, int oo, int rows, int n) {
        int total = rows * n, bound = S.loopBound(total), i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, a, go + i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(FloatVector.fromArray(S, a, uo + i)).intoArray(a, oo + i);
        }
        for (; i < total; i++) a[oo + i] = a[go + i] / (1f + (float) Math.exp(-a[go + i])) * a[uo + i];
    }
}
