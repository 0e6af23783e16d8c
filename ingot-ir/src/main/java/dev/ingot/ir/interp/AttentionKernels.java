package dev.ingot.ir.interp;

import dev.ingot.tensor.DType;

/**
 * The paged KV cache write, paged attention over block tables, and plain scaled-dot-product attention. Scores,
 * softmax and the weighted sum of values are in double; outputs are rounded once to F32.
 */
final class AttentionKernels {
    private AttentionKernels() {}

    /**
     * cache [NB, BS, Hkv, D] updated in place with kv [T, Hkv, D] at slots [T]; negative slots are skipped. An F16
     * cache holds its values rounded to half precision (the heap tensor's float[] stores them already rounded).
     */
    static Tensor kvWrite(Tensor cache, Tensor kv, Tensor slots) {
        boolean half = cache.dtype() == DType.F16;
        float[] c = cache.floats();
        float[] k = kv.floatsForRead();
        long capacity = cache.dim(0) * cache.dim(1);
        int row = (int) (kv.dim(1) * kv.dim(2)); // Hkv * D floats per token
        for (int t = 0; t < (int) kv.dim(0); t++) {
            long slot = slots.getLong(t);
            if (slot < 0) continue;
            if (slot >= capacity) throw new IllegalArgumentException("kv_write: slot " + slot + " of token " + t + " beyond cache capacity " + capacity);
            int dst = Math.toIntExact(slot * row);
            System.arraycopy(k, t * row, c, dst, row);
            if (half) for (int i = dst; i < dst + row; i++) c[i] = Float.float16ToFloat(Float.floatToFloat16(c[i]));
        }
        return cache;
    }

    /**
     * q [T, H, D], caches [NB, BS, Hkv, D], blockTables [S, B], seqLens [S], tokenSeq [T], positions [T]
     * -> [T, H, D]; see {@code LlmOp.PagedAttention}.
     */
    static Tensor paged(float scale, Tensor q, Tensor kc, Tensor vc, Tensor blockTables, Tensor seqLens, Tensor tokenSeq, Tensor positions) {
        int t = (int) q.dim(0), h = (int) q.dim(1), d = (int) q.dim(2);
        int nb = (int) kc.dim(0), bs = (int) kc.dim(1), hkv = (int) kc.dim(2);
        int s = (int) blockTables.dim(0), maxBlocks = (int) blockTables.dim(1);
        int group = h / hkv;
        float[] qs = q.floatsForRead(), ks = kc.floatsForRead(), vs = vc.floatsForRead();
        float[] out = new float[qs.length];
        for (int tok = 0; tok < t; tok++) {
            long seq = tokenSeq.getLong(tok);
            long pos = positions.getLong(tok);
            if (seq < 0 || seq >= s) throw new IllegalArgumentException("paged_attention: token " + tok + " has sequence " + seq + " outside [0, " + s + ")");
            long len = seqLens.getLong(seq);
            if (pos < 0 || pos >= len) throw new IllegalArgumentException("paged_attention: token " + tok + " at position " + pos + " outside its sequence length " + len);
            if (len > (long) maxBlocks * bs) throw new IllegalArgumentException("paged_attention: sequence " + seq + " length " + len + " exceeds " + maxBlocks + " blocks of " + bs);
            int ctx = (int) pos + 1;
            // cache row offset (floats) of each context position, resolved through the block table
            int[] rowOf = new int[ctx];
            for (int p = 0; p < ctx; p++) {
                long block = blockTables.getLong(seq * maxBlocks + p / bs);
                if (block < 0 || block >= nb) throw new IllegalArgumentException("paged_attention: sequence " + seq + " block " + p / bs + " is " + block + ", outside [0, " + nb + ")");
                rowOf[p] = (int) ((block * bs + p % bs) * hkv * d);
            }
            double[] w = new double[ctx];
            for (int head = 0; head < h; head++) {
                int qo = (tok * h + head) * d;
                int kvh = (head / group) * d;
                for (int p = 0; p < ctx; p++) {
                    double acc = 0;
                    for (int i = 0; i < d; i++) acc += (double) qs[qo + i] * ks[rowOf[p] + kvh + i];
                    w[p] = acc * scale;
                }
                ReduceKernels.softmaxInPlace(w, ctx);
                for (int i = 0; i < d; i++) {
                    double acc = 0;
                    for (int p = 0; p < ctx; p++) acc += w[p] * vs[rowOf[p] + kvh + i];
                    out[qo + i] = (float) acc;
                }
            }
        }
        return Tensor.f32(out, q.shape());
    }

    /** q [..., Lq, D], k [..., Lk, D], v [..., Lk, Dv], mask broadcast to [..., Lq, Lk] or null. */
    static Tensor sdpa(float scale, boolean causal, Tensor q, Tensor k, Tensor v, Tensor mask, long[] outShape) {
        long[] qs = q.shape();
        int r = qs.length;
        int lq = (int) qs[r - 2], d = (int) qs[r - 1], lk = (int) k.dim(-2), dv = (int) v.dim(-1);
        long batch = q.numel() / ((long) lq * d);
        long[] scoreShape = qs.clone();
        scoreShape[r - 1] = lk;
        long[] maskStrides = mask == null ? null : Odometer.broadcastStrides(mask.shape(), scoreShape);
        float[] qa = q.floatsForRead(), ka = k.floatsForRead(), va = v.floatsForRead();
        float[] out = new float[(int) (batch * lq * dv)];
        double[] w = new double[lk];
        long[] coord = new long[r];
        for (long b = 0; b < batch; b++) {
            for (int i = 0; i < lq; i++) {
                for (int j = 0; j < lk; j++) {
                    double sc;
                    if (causal && j > i) sc = Double.NEGATIVE_INFINITY;
                    else {
                        double acc = 0;
                        for (int p = 0; p < d; p++) acc += (double) qa[(int) ((b * lq + i) * d + p)] * ka[(int) ((b * lk + j) * d + p)];
                        sc = acc * scale;
                    }
                    if (mask != null) {
                        long mo = maskOffset(b, i, j, scoreShape, maskStrides, coord);
                        if (mask.dtype() == DType.BOOL) { if (mask.getLong(mo) == 0) sc = Double.NEGATIVE_INFINITY; }
                        else sc += mask.getDouble(mo);
                    }
                    w[j] = sc;
                }
                ReduceKernels.softmaxInPlace(w, lk);
                for (int p = 0; p < dv; p++) {
                    double acc = 0;
                    for (int j = 0; j < lk; j++) if (w[j] != 0) acc += w[j] * va[(int) ((b * lk + j) * dv + p)];
                    out[(int) ((b * lq + i) * dv + p)] = (float) acc;
                }
            }
        }
        return Tensor.f32(out, outShape);
    }

    /** Offset in the mask of score (batch b, query i, key j) under broadcast strides. */
    private static long maskOffset(long b, int i, int j, long[] scoreShape, long[] strides, long[] coord) {
        int r = scoreShape.length;
        long rem = b;
        for (int dd = r - 3; dd >= 0; dd--) {
            coord[dd] = rem % scoreShape[dd];
            rem /= scoreShape[dd];
        }
        coord[r - 2] = i;
        coord[r - 1] = j;
        long off = 0;
        for (int dd = 0; dd < r; dd++) off += coord[dd] * strides[dd];
        return off;
    }
}
