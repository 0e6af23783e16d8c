package dev.ingot.kernel.attention;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD paged attention. A work item's heads are processed together with the other query heads of their KV head
 * (GQA: the {@code nHeads / nKvHeads} heads sharing one KV head) so each K and V row is loaded once per group,
 * and the group's dot products are independent FMA chains. Per block of the context: the block's scores q.k
 * into a scratch row per head, one max / rescale step, exponentials vectorised over the block, then an FMA of
 * each exp-weighted V row into each head's accumulator (online softmax per block: the running max and the
 * rescale happen once per block, not per position). K/V are read straight from the off-heap pools
 * ({@link PagedKv}). headDim need not be a multiple of L (scalar tail). Scalar twin: {@link ScalarAttention}.
 */
public final class VectorAttention implements AttentionKernel {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int MAX_GROUP = 16;
    /** Per thread: acc [MAX_GROUP][headDim], s [MAX_GROUP][blockSize], m and l [MAX_GROUP], grown on demand. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(128, 64));

    private record Scratch(float[][] acc, float[][] s, float[] m, float[] l) {
        Scratch(int hd, int bs) {
            this(new float[MAX_GROUP][hd], new float[MAX_GROUP][bs], new float[MAX_GROUP], new float[MAX_GROUP]);
        }
    }

    @Override
    public void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                       int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to) {
        int hd = kv.headDim(), group = nHeads / kv.nKvHeads(), bs = kv.blockSize();
        Scratch sc = SCRATCH.get();
        if (sc.acc()[0].length < hd || sc.s()[0].length < bs) {
            sc = new Scratch(Math.max(hd, sc.acc()[0].length), Math.max(bs, sc.s()[0].length));
            SCRATCH.set(sc);
        }
        for (int item = from; item < to; ) {
            int t = item / nHeads, h = item % nHeads, kvh = h / group;
            // the heads of this KV head from h on, within [from, to) and this token, at most MAX_GROUP at once
            int g = Math.min(Math.min(group - h % group, to - item), MAX_GROUP);
            head(kv, q, qOff + item * hd, out, outOff + item * hd, g, blockTables[seq[t]], pos[t] + 1, kvh, scale, sc);
            item += g;
        }
    }

    /** Heads [0, g) of a group (consecutive in q and out, headDim apart) over one context. */
    private static void head(PagedKv kv, float[] q, int qo, float[] out, int oo, int g, int[] bt, int ctx, int kvh,
                             float scale, Scratch sc) {
        int hd = kv.headDim(), bs = kv.blockSize(), hv = hd - hd % L;
        MemorySegment ks = kv.k(), vs = kv.v();
        float[][] acc = sc.acc(), s = sc.s();
        float[] m = sc.m(), l = sc.l();
        for (int h = 0; h < g; h++) {
            java.util.Arrays.fill(acc[h], 0, hd, 0f);
            m[h] = Float.NEGATIVE_INFINITY;
            l[h] = 0;
        }
        for (int p0 = 0; p0 < ctx; p0 += bs) {
            int n = Math.min(bs, ctx - p0), blk = bt[p0 / bs];
            for (int j = 0; j < n; j++) {
                long o = kv.offset(blk, j, kvh);
                for (int h = 0; h < g; h++) {
                    int qh = qo + h * hd;
                    FloatVector d = FloatVector.zero(F);
                    for (int i = 0; i < hv; i += L) {
                        d = FloatVector.fromArray(F, q, qh + i).fma(FloatVector.fromMemorySegment(F, ks, o + 4L * i, LE), d);
                    }
                    float dot = d.reduceLanes(VectorOperators.ADD);
                    for (int i = hv; i < hd; i++) dot += q[qh + i] * ks.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
                    s[h][j] = dot * scale;
                }
            }
            for (int h = 0; h < g; h++) {
                float bmax = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) bmax = Math.max(bmax, s[h][j]);
                float mNew = Math.max(m[h], bmax), corr = (float) Math.exp(m[h] - mNew);
                l[h] = l[h] * corr + expInPlace(s[h], n, mNew);
                if (corr != 1f) scaleRow(acc[h], hd, hv, corr);
                m[h] = mNew;
            }
            for (int j = 0; j < n; j++) {
                long o = kv.offset(blk, j, kvh);
                for (int i = 0; i < hv; i += L) {
                    FloatVector v = FloatVector.fromMemorySegment(F, vs, o + 4L * i, LE);
                    for (int h = 0; h < g; h++) {
                        v.fma(FloatVector.broadcast(F, s[h][j]), FloatVector.fromArray(F, acc[h], i)).intoArray(acc[h], i);
                    }
                }
                for (int i = hv; i < hd; i++) {
                    float v = vs.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
                    for (int h = 0; h < g; h++) acc[h][i] += s[h][j] * v;
                }
            }
        }
        for (int h = 0; h < g; h++) {
            float inv = 1f / l[h];
            for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc[h], i).mul(inv).intoArray(out, oo + h * hd + i);
            for (int i = hv; i < hd; i++) out[oo + h * hd + i] = acc[h][i] * inv;
        }
    }

    /** s[j] = exp(s[j] - max) for j < n, vectorised (the Vector API's EXP, within 1 ulp); returns their sum. */
    private static float expInPlace(float[] s, int n, float max) {
        int j = 0;
        FloatVector sum = FloatVector.zero(F);
        for (; j + L <= n; j += L) {
            FloatVector e = FloatVector.fromArray(F, s, j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(s, j);
            sum = sum.add(e);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s[j] = (float) Math.exp(s[j] - max);
            total += s[j];
        }
        return total;
    }

    private static void scaleRow(float[] acc, int hd, int hv, float c) {
        for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc, i).mul(c).intoArray(acc, i);
        for (int i = hv; i < hd; i++) acc[i] *= c;
    }
}
