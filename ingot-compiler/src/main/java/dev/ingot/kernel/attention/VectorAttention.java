package dev.ingot.kernel.attention;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD paged attention. Per work item (token, head) the context is walked one KV block at a time: the
 * block's scores q.k are computed with vector dots over headDim into a small scratch row, then one max /
 * rescale step and an FMA of each exp-weighted V row into the accumulator (online softmax per block, so
 * the running max and the rescale of the accumulator happen once per block, not per position). K/V are
 * read straight from the off-heap pools ({@link PagedKv}; MemorySegment loads cost the same as float[]
 * loads here and avoid copying the cache). headDim need not be a multiple of L (scalar tail).
 * Scalar twin: {@link ScalarAttention}.
 */
public final class VectorAttention implements AttentionKernel {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[256], new float[64]});

    @Override
    public void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                       int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to) {
        int hd = kv.headDim(), group = nHeads / kv.nKvHeads(), bs = kv.blockSize();
        float[][] sc = SCRATCH.get();
        if (sc[0].length < hd || sc[1].length < bs) {
            sc = new float[][] {new float[Math.max(hd, sc[0].length)], new float[Math.max(bs, sc[1].length)]};
            SCRATCH.set(sc);
        }
        float[] acc = sc[0], s = sc[1];
        for (int item = from; item < to; item++) {
            int t = item / nHeads, kvh = (item % nHeads) / group;
            int ctx = pos[t] + 1;
            int[] bt = blockTables[seq[t]];
            head(kv, q, qOff + item * hd, out, outOff + item * hd, bt, ctx, kvh, scale, acc, s);
        }
    }

    private static void head(PagedKv kv, float[] q, int qo, float[] out, int oo, int[] bt, int ctx, int kvh,
                             float scale, float[] acc, float[] s) {
        int hd = kv.headDim(), bs = kv.blockSize(), hv = hd - hd % L;
        MemorySegment ks = kv.k(), vs = kv.v();
        java.util.Arrays.fill(acc, 0, hd, 0f);
        float m = Float.NEGATIVE_INFINITY, l = 0;
        for (int p0 = 0; p0 < ctx; p0 += bs) {
            int n = Math.min(bs, ctx - p0), blk = bt[p0 / bs];
            float bmax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                long o = kv.offset(blk, j, kvh);
                FloatVector d = FloatVector.zero(F);
                for (int i = 0; i < hv; i += L) {
                    d = FloatVector.fromArray(F, q, qo + i).fma(FloatVector.fromMemorySegment(F, ks, o + 4L * i, LE), d);
                }
                float dot = d.reduceLanes(VectorOperators.ADD);
                for (int i = hv; i < hd; i++) dot += q[qo + i] * ks.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
                s[j] = dot * scale;
                bmax = Math.max(bmax, s[j]);
            }
            float mNew = Math.max(m, bmax), corr = (float) Math.exp(m - mNew);
            l *= corr;
            if (corr != 1f) scaleRow(acc, hd, hv, corr);
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(s[j] - mNew);
                l += e;
                long o = kv.offset(blk, j, kvh);
                for (int i = 0; i < hv; i += L) {
                    FloatVector.fromMemorySegment(F, vs, o + 4L * i, LE).fma(FloatVector.broadcast(F, e), FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
                }
                for (int i = hv; i < hd; i++) acc[i] += e * vs.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
            }
            m = mNew;
        }
        float inv = 1f / l;
        for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc, i).mul(inv).intoArray(out, oo + i);
        for (int i = hv; i < hd; i++) out[oo + i] = acc[i] * inv;
    }

    private static void scaleRow(float[] acc, int hd, int hv, float c) {
        for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc, i).mul(c).intoArray(acc, i);
        for (int i = hv; i < hd; i++) acc[i] *= c;
    }
}
