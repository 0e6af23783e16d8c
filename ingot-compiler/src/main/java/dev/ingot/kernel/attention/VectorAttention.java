package dev.ingot.kernel.attention;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD paged attention. A call's items are processed token by token, and all of a token's heads in the range in
 * one pass over its context: a cache slot holds every KV head's row side by side ([slot][kvHead][headDim]), so
 * walking slots and, within a slot, heads reads K and V as one sequential stream (the prefetcher's best case),
 * and a GQA group's query heads reuse their KV row from L1. Per block of the context: the block's scores q.k
 * into a scratch row per head, one max / rescale step per head, exponentials vectorised over the block, then
 * an FMA of each exp-weighted V row into each head's accumulator (online softmax per block). K/V are read
 * straight from the off-heap pools ({@link PagedKv}); an F16 cache's block is first widened into a per-thread
 * float scratch (the Vector API has no half-precision loads). headDim need not be a multiple of L (scalar tail).
 * Scalar twin: {@link ScalarAttention}.
 */
public final class VectorAttention implements AttentionKernel {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * Per thread: acc [heads * headDim], s [heads * blockSize], m and l [heads], and for F16 caches one block's K
     * and V rows widened to float ([blockSize][heads * headDim] each, viewed as heap segments), grown on demand.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(32, 128, 64));

    private record Scratch(int heads, int hd, int bs, float[] acc, float[] s, float[] m, float[] l,
                           float[] kw, float[] vw, MemorySegment kws, MemorySegment vws) {
        Scratch(int heads, int hd, int bs) {
            this(heads, hd, bs, new float[heads * hd], new float[heads * bs], new float[heads], new float[heads],
                    new float[bs * heads * hd], new float[bs * heads * hd]);
        }

        private Scratch(int heads, int hd, int bs, float[] acc, float[] s, float[] m, float[] l, float[] kw, float[] vw) {
            this(heads, hd, bs, acc, s, m, l, kw, vw, MemorySegment.ofArray(kw), MemorySegment.ofArray(vw));
        }
    }

    @Override
    public void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                       int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to) {
        int hd = kv.headDim(), group = nHeads / kv.nKvHeads(), bs = kv.blockSize();
        Scratch sc = SCRATCH.get();
        if (sc.heads() < nHeads || sc.hd() < hd || sc.bs() < bs) {
            sc = new Scratch(Math.max(nHeads, sc.heads()), Math.max(hd, sc.hd()), Math.max(bs, sc.bs()));
            SCRATCH.set(sc);
        }
        for (int item = from; item < to; ) {
            int t = item / nHeads, h0 = item % nHeads, g = Math.min(nHeads - h0, to - item);
            heads(kv, q, qOff + item * hd, out, outOff + item * hd, h0, g, group, blockTables[seq[t]], pos[t] + 1, scale, sc);
            item += g;
        }
    }

    /** Query heads [h0, h0 + g) of one token (consecutive in q and out, headDim apart) over a context of ctx. */
    private static void heads(PagedKv kv, float[] q, int qo, float[] out, int oo, int h0, int g, int group, int[] bt,
                              int ctx, float scale, Scratch sc) {
        int hd = kv.headDim(), bs = kv.blockSize(), hv = hd - hd % L, sbs = sc.bs();
        int kv0 = h0 / group, span = (h0 + g - 1) / group - kv0 + 1; // the call's KV heads [kv0, kv0 + span)
        float[] acc = sc.acc(), s = sc.s(), m = sc.m(), l = sc.l();
        java.util.Arrays.fill(acc, 0, g * hd, 0f);
        for (int h = 0; h < g; h++) {
            m[h] = Float.NEGATIVE_INFINITY;
            l[h] = 0;
        }
        for (int p0 = 0; p0 < ctx; p0 += bs) {
            int n = Math.min(bs, ctx - p0), blk = bt[p0 / bs];
            // where the block's rows are read from: the pool itself (f32), or the scratch it was widened into (f16)
            MemorySegment ks = kv.k(), vs = kv.v();
            long base = kv.offset(blk, 0, kv0), stride = 4L * kv.nKvHeads() * hd;
            if (kv.f16()) {
                widen(kv, blk, n, kv0, span, sc);
                ks = sc.kws();
                vs = sc.vws();
                base = 0;
                stride = 4L * span * hd;
            }
            for (int j = 0; j < n; j++) {
                long slot = base + j * stride;
                for (int h = 0; h < g; h++) {
                    long o = slot + 4L * hd * ((h0 + h) / group - kv0);
                    int qh = qo + h * hd;
                    FloatVector d = FloatVector.zero(F);
                    for (int i = 0; i < hv; i += L) {
                        d = FloatVector.fromArray(F, q, qh + i).fma(FloatVector.fromMemorySegment(F, ks, o + 4L * i, LE), d);
                    }
                    float dot = d.reduceLanes(VectorOperators.ADD);
                    for (int i = hv; i < hd; i++) dot += q[qh + i] * ks.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
                    s[h * sbs + j] = dot * scale;
                }
            }
            for (int h = 0; h < g; h++) {
                int so = h * sbs;
                float bmax = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) bmax = Math.max(bmax, s[so + j]);
                float mNew = Math.max(m[h], bmax), corr = (float) Math.exp(m[h] - mNew);
                l[h] = l[h] * corr + expInPlace(s, so, n, mNew);
                if (corr != 1f) scaleRow(acc, h * hd, hd, hv, corr);
                m[h] = mNew;
            }
            for (int j = 0; j < n; j++) {
                long slot = base + j * stride;
                for (int h = 0; h < g; h++) {
                    long o = slot + 4L * hd * ((h0 + h) / group - kv0);
                    int ao = h * hd;
                    FloatVector p = FloatVector.broadcast(F, s[h * sbs + j]);
                    for (int i = 0; i < hv; i += L) {
                        FloatVector.fromMemorySegment(F, vs, o + 4L * i, LE).fma(p, FloatVector.fromArray(F, acc, ao + i))
                                .intoArray(acc, ao + i);
                    }
                    float pj = s[h * sbs + j];
                    for (int i = hv; i < hd; i++) acc[ao + i] += pj * vs.get(JAVA_FLOAT_UNALIGNED, o + 4L * i);
                }
            }
        }
        for (int h = 0; h < g; h++) {
            float inv = 1f / l[h];
            int ao = h * hd;
            for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc, ao + i).mul(inv).intoArray(out, oo + ao + i);
            for (int i = hv; i < hd; i++) out[oo + ao + i] = acc[ao + i] * inv;
        }
    }

    /** Widens KV heads [kv0, kv0 + span) of the block's first n slots to float: scratch row j = [span * headDim]. */
    private static void widen(PagedKv kv, int blk, int n, int kv0, int span, Scratch sc) {
        int row = span * kv.headDim();
        for (int j = 0; j < n; j++) {
            long o = kv.offset(blk, j, kv0);
            kv.load(kv.k(), o, sc.kw(), j * row, row);
            kv.load(kv.v(), o, sc.vw(), j * row, row);
        }
    }

    /** s[off + j] = exp(s[off + j] - max) for j < n, vectorised (the Vector API's EXP, within 1 ulp); returns their sum. */
    private static float expInPlace(float[] s, int off, int n, float max) {
        int j = 0;
        FloatVector sum = FloatVector.zero(F);
        for (; j + L <= n; j += L) {
            FloatVector e = FloatVector.fromArray(F, s, off + j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(s, off + j);
            sum = sum.add(e);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s[off + j] = (float) Math.exp(s[off + j] - max);
            total += s[off + j];
        }
        return total;
    }

    private static void scaleRow(float[] acc, int off, int hd, int hv, float c) {
        for (int i = 0; i < hv; i += L) FloatVector.fromArray(F, acc, off + i).mul(c).intoArray(acc, off + i);
        for (int i = hv; i < hd; i++) acc[off + i] *= c;
    }
}
