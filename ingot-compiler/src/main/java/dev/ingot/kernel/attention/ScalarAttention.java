package dev.ingot.kernel.attention;

/**
 * Scalar twin of {@link VectorAttention}: same online-softmax algorithm, one element at a time (F16 caches are
 * widened element by element). The
 * accumulator row lives in a per-thread scratch array (allocated once per thread, resized if headDim grows).
 */
public final class ScalarAttention implements AttentionKernel {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[256]);

    @Override
    public void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                       int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to) {
        int hd = kv.headDim(), group = nHeads / kv.nKvHeads(), bs = kv.blockSize();
        float[] acc = scratch(hd);
        for (int item = from; item < to; item++) {
            int t = item / nHeads, h = item % nHeads, kvh = h / group;
            int qo = qOff + item * hd, ctx = pos[t] + 1;
            int[] bt = blockTables[seq[t]];
            java.util.Arrays.fill(acc, 0, hd, 0f);
            float m = Float.NEGATIVE_INFINITY, l = 0;
            for (int p = 0; p < ctx; p++) {
                long o = kv.offset(bt[p / bs], p % bs, kvh);
                float s = 0;
                for (int i = 0; i < hd; i++) s += q[qo + i] * kv.get(kv.k(), o, i);
                s *= scale;
                float mNew = Math.max(m, s);
                float corr = (float) Math.exp(m - mNew), e = (float) Math.exp(s - mNew);
                l = l * corr + e;
                for (int i = 0; i < hd; i++) acc[i] = acc[i] * corr + e * kv.get(kv.v(), o, i);
                m = mNew;
            }
            float inv = 1f / l;
            int oo = outOff + item * hd;
            for (int i = 0; i < hd; i++) out[oo + i] = acc[i] * inv;
        }
    }

    static float[] scratch(int n) {
        float[] a = SCRATCH.get();
        if (a.length < n) SCRATCH.set(a = new float[n]);
        return a;
    }
}
