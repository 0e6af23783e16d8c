package dev.ingot.compiler.graphexec;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Encoder attention for one (batch, head) pair: {@code o[i] = softmax(scale * q[i] . k[j] + mask[i, j]) v[j]}
 * over all Lk keys (no causal mask). q [Lq, D], k [Lk, D], v [Lk, Dv] and o [Lq, Dv] are strided windows of the
 * arena (row stride given, unit element stride), so the transposes around attention are never copied. The mask is
 * read at {@code mOff + i * mRow + j * mCol} (strides 0 where it broadcasts). K is first packed transposed into
 * {@code kt [D, Lk]} so each score row is D broadcast-FMAs over contiguous keys; a row's probabilities then weight
 * v's rows with one FMA per key and output vector.
 */
final class AttentionKernel {
    private AttentionKernel() {}

    /** Per-thread scratch: kt [D * Lk] and one score row [Lk]. */
    static final class Scratch {
        float[] kt = new float[0], p = new float[0];

        void ensure(int d, int lk) {
            if (kt.length < d * lk) kt = new float[d * lk];
            if (p.length < lk) p = new float[lk];
        }
    }

    static void run(boolean simd, float[] a, int lq, int lk, int d, int dv, float scale,
                    int qOff, int qRow, int kOff, int kRow, int vOff, int vRow, int oOff, int oRow,
                    float[] m, int mOff, int mRow, int mCol, Scratch s) {
        s.ensure(d, lk);
        float[] kt = s.kt, p = s.p;
        for (int j = 0; j < lk; j++) for (int c = 0; c < d; c++) kt[c * lk + j] = a[kOff + j * kRow + c];
        int jv = simd ? lk - lk % L : 0, cv = simd ? dv - dv % L : 0;
        for (int i = 0; i < lq; i++) {
            int qo = qOff + i * qRow;
            // scores p[j] = q . k[j], vectorised over j
            int j = 0;
            // four key blocks at once: independent FMA chains, so the loop is not bound by FMA latency
            for (; j + 4 * L <= jv; j += 4 * L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int c = 0; c < d; c++) {
                    FloatVector x = FloatVector.broadcast(F, a[qo + c]);
                    int ko = c * lk + j;
                    a0 = FloatVector.fromArray(F, kt, ko).fma(x, a0);
                    a1 = FloatVector.fromArray(F, kt, ko + L).fma(x, a1);
                    a2 = FloatVector.fromArray(F, kt, ko + 2 * L).fma(x, a2);
                    a3 = FloatVector.fromArray(F, kt, ko + 3 * L).fma(x, a3);
                }
                a0.intoArray(p, j);
                a1.intoArray(p, j + L);
                a2.intoArray(p, j + 2 * L);
                a3.intoArray(p, j + 3 * L);
            }
            for (; j < jv; j += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int c = 0; c < d; c++) acc = FloatVector.fromArray(F, kt, c * lk + j).fma(FloatVector.broadcast(F, a[qo + c]), acc);
                acc.intoArray(p, j);
            }
            for (; j < lk; j++) {
                float acc = 0;
                for (int c = 0; c < d; c++) acc += a[qo + c] * kt[c * lk + j];
                p[j] = acc;
            }
            int mo = mOff + i * mRow;
            boolean vecMask = m == null || mCol == 1;
            float max = Float.NEGATIVE_INFINITY;
            j = 0;
            if (vecMask && jv > 0) {
                FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                for (; j < jv; j += L) {
                    FloatVector x = FloatVector.fromArray(F, p, j).mul(scale);
                    if (m != null) x = x.add(FloatVector.fromArray(F, m, mo + j));
                    x.intoArray(p, j);
                    mx = mx.max(x);
                }
                max = mx.reduceLanes(VectorOperators.MAX);
            }
            for (; j < lk; j++) {
                float x = p[j] * scale + (m == null ? 0 : m[mo + j * mCol]);
                p[j] = x;
                max = Math.max(max, x);
            }
            int oo = oOff + i * oRow;
            if (max == Float.NEGATIVE_INFINITY) { // nothing to attend to: zeros, as the reference
                for (int c = 0; c < dv; c++) a[oo + c] = 0;
                continue;
            }
            float sum = 0;
            j = 0;
            if (jv > 0) {
                FloatVector sv = FloatVector.zero(F);
                for (; j < jv; j += L) {
                    FloatVector e = FloatVector.fromArray(F, p, j).sub(max).lanewise(VectorOperators.EXP);
                    e.intoArray(p, j);
                    sv = sv.add(e);
                }
                sum = sv.reduceLanes(VectorOperators.ADD);
            }
            for (; j < lk; j++) {
                float e = (float) Math.exp(p[j] - max);
                p[j] = e;
                sum += e;
            }
            float inv = 1 / sum;
            int c = 0;
            // two output blocks x two key parities: four independent chains over the keys
            for (; c + 2 * L <= cv; c += 2 * L) {
                FloatVector e0 = FloatVector.zero(F), e1 = e0, o0 = e0, o1 = e0;
                j = 0;
                for (; j + 2 <= lk; j += 2) {
                    int vo = vOff + j * vRow + c;
                    FloatVector pe = FloatVector.broadcast(F, p[j]), po = FloatVector.broadcast(F, p[j + 1]);
                    e0 = FloatVector.fromArray(F, a, vo).fma(pe, e0);
                    e1 = FloatVector.fromArray(F, a, vo + L).fma(pe, e1);
                    o0 = FloatVector.fromArray(F, a, vo + vRow).fma(po, o0);
                    o1 = FloatVector.fromArray(F, a, vo + vRow + L).fma(po, o1);
                }
                if (j < lk) {
                    FloatVector pe = FloatVector.broadcast(F, p[j]);
                    e0 = FloatVector.fromArray(F, a, vOff + j * vRow + c).fma(pe, e0);
                    e1 = FloatVector.fromArray(F, a, vOff + j * vRow + c + L).fma(pe, e1);
                }
                e0.add(o0).mul(inv).intoArray(a, oo + c);
                e1.add(o1).mul(inv).intoArray(a, oo + c + L);
            }
            for (; c < cv; c += L) {
                FloatVector acc = FloatVector.zero(F);
                for (j = 0; j < lk; j++) acc = FloatVector.fromArray(F, a, vOff + j * vRow + c).fma(FloatVector.broadcast(F, p[j]), acc);
                acc.mul(inv).intoArray(a, oo + c);
            }
            for (; c < dv; c++) {
                float acc = 0;
                for (j = 0; j < lk; j++) acc += p[j] * a[vOff + j * vRow + c];
                a[oo + c] = acc * inv;
            }
        }
    }
}
