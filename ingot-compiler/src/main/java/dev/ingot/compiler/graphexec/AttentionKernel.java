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

    /** Per-thread scratch: kt [D * Lk], one score row [Lk] and four score rows [4 * Lk]. */
    static final class Scratch {
        float[] kt = new float[0], p = new float[0], rows = new float[0];

        void ensureRows(int n) {
            if (rows.length < n) rows = new float[n];
        }

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
        int i = 0;
        if (simd && lk % (2 * L) == 0 && dv % (2 * L) == 0) {
            // 4 query rows at a time: each loaded key / value vector feeds four rows' FMAs
            s.ensureRows(4 * lk);
            float[] pr = s.rows;
            float[] inv = new float[4];
            for (; i + 4 <= lq; i += 4) {
                scores4(a, qOff + i * qRow, qRow, kt, lk, d, pr);
                for (int r = 0; r < 4; r++) inv[r] = softmax(pr, r * lk, lk, scale, m, mOff + (i + r) * mRow, mCol);
                values4(a, vOff, vRow, lk, dv, pr, inv, oOff + i * oRow, oRow);
            }
        }
        for (; i < lq; i++) {
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
    /** Raw scores of 4 query rows (q rows qRow apart) against all keys: p [4, lk] = q [4, d] . kt [d, lk]; lk % 2L == 0. */
    private static void scores4(float[] a, int qo, int qRow, float[] kt, int lk, int d, float[] p) {
        int q1 = qo + qRow, q2 = q1 + qRow, q3 = q2 + qRow;
        for (int j = 0; j < lk; j += 2 * L) {
            FloatVector r00 = FloatVector.zero(F), r01 = r00, r10 = r00, r11 = r00, r20 = r00, r21 = r00, r30 = r00, r31 = r00;
            for (int c = 0; c < d; c++) {
                int ko = c * lk + j;
                FloatVector k0 = FloatVector.fromArray(F, kt, ko), k1 = FloatVector.fromArray(F, kt, ko + L);
                FloatVector x = FloatVector.broadcast(F, a[qo + c]);
                r00 = k0.fma(x, r00);
                r01 = k1.fma(x, r01);
                x = FloatVector.broadcast(F, a[q1 + c]);
                r10 = k0.fma(x, r10);
                r11 = k1.fma(x, r11);
                x = FloatVector.broadcast(F, a[q2 + c]);
                r20 = k0.fma(x, r20);
                r21 = k1.fma(x, r21);
                x = FloatVector.broadcast(F, a[q3 + c]);
                r30 = k0.fma(x, r30);
                r31 = k1.fma(x, r31);
            }
            r00.intoArray(p, j);
            r01.intoArray(p, j + L);
            r10.intoArray(p, lk + j);
            r11.intoArray(p, lk + j + L);
            r20.intoArray(p, 2 * lk + j);
            r21.intoArray(p, 2 * lk + j + L);
            r30.intoArray(p, 3 * lk + j);
            r31.intoArray(p, 3 * lk + j + L);
        }
    }

    /**
     * p[po .. po + lk) = exp(scale * p + mask - max) in place (lk % L == 0); returns 1 / sum, or -1 when every key
     * is masked to -inf (the row's output is then zero, as in the reference).
     */
    private static float softmax(float[] p, int po, int lk, float scale, float[] m, int mo, int mCol) {
        float max = Float.NEGATIVE_INFINITY;
        if (m == null || mCol == 1) {
            FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < lk; j += L) {
                FloatVector x = FloatVector.fromArray(F, p, po + j).mul(scale);
                if (m != null) x = x.add(FloatVector.fromArray(F, m, mo + j));
                x.intoArray(p, po + j);
                mx = mx.max(x);
            }
            max = mx.reduceLanes(VectorOperators.MAX);
        } else {
            for (int j = 0; j < lk; j++) {
                float x = p[po + j] * scale + m[mo + j * mCol];
                p[po + j] = x;
                max = Math.max(max, x);
            }
        }
        if (max == Float.NEGATIVE_INFINITY) return -1f;
        FloatVector sv = FloatVector.zero(F);
        for (int j = 0; j < lk; j += L) {
            FloatVector e = FloatVector.fromArray(F, p, po + j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(p, po + j);
            sv = sv.add(e);
        }
        return 1 / sv.reduceLanes(VectorOperators.ADD);
    }

    /** o [4, dv] (rows oRow apart) = p [4, lk] . v [lk, dv] (rows vRow apart), row r scaled by inv[r]; dv % 2L == 0. */
    private static void values4(float[] a, int vOff, int vRow, int lk, int dv, float[] p, float[] inv, int oo, int oRow) {
        for (int c = 0; c < dv; c += 2 * L) {
            FloatVector r00 = FloatVector.zero(F), r01 = r00, r10 = r00, r11 = r00, r20 = r00, r21 = r00, r30 = r00, r31 = r00;
            for (int j = 0; j < lk; j++) {
                int vo = vOff + j * vRow + c;
                FloatVector v0 = FloatVector.fromArray(F, a, vo), v1 = FloatVector.fromArray(F, a, vo + L);
                FloatVector x = FloatVector.broadcast(F, p[j]);
                r00 = v0.fma(x, r00);
                r01 = v1.fma(x, r01);
                x = FloatVector.broadcast(F, p[lk + j]);
                r10 = v0.fma(x, r10);
                r11 = v1.fma(x, r11);
                x = FloatVector.broadcast(F, p[2 * lk + j]);
                r20 = v0.fma(x, r20);
                r21 = v1.fma(x, r21);
                x = FloatVector.broadcast(F, p[3 * lk + j]);
                r30 = v0.fma(x, r30);
                r31 = v1.fma(x, r31);
            }
            store(r00, r01, inv[0], a, oo + c);
            store(r10, r11, inv[1], a, oo + oRow + c);
            store(r20, r21, inv[2], a, oo + 2 * oRow + c);
            store(r30, r31, inv[3], a, oo + 3 * oRow + c);
        }
    }

    private static void store(FloatVector x0, FloatVector x1, float inv, float[] a, int o) {
        if (inv < 0) { // fully masked row
            x0 = FloatVector.zero(F);
            x1 = x0;
            inv = 0;
        }
        x0.mul(inv).intoArray(a, o);
        x1.mul(inv).intoArray(a, o + L);
    }
}
