package dev.ingot.kernel.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Paged attention (SIMD, scalar and native C where it builds; serial and on the pool) against naive causal softmax attention in
 * double over contiguous per-sequence K/V. Each sequence's positions are scattered over shuffled blocks
 * (block size 16 or 5, so contexts end mid-block); a batch mixes a decode token and prefill chunks of two
 * sequences (GQA 6 heads over 2 KV heads; headDim 64 and 20, the latter not a multiple of the vector
 * width), with F32 and F16 caches (the reference reads the rounded halves). Tolerance abs 2e-5: outputs are convex mixes of V values in [-1, 1], float exp and sums.
 */
class PagedAttentionTest {
    @Test
    void matchesNaiveAttention() {
        Random r = Seeds.random("paged-attention");
        for (int[] cfg : new int[][] {{16, 64, 0}, {5, 20, 0}, {16, 64, 1}, {5, 20, 1}}) {
            int bs = cfg[0], hd = cfg[1], nKv = 2, nHeads = 6, numBlocks = 64;
            boolean f16 = cfg[2] == 1;
            int[] ctxLen = {37, 12, 1}; // per sequence, cache length after this batch
            try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(2)) {
                long bytes = (long) numBlocks * bs * nKv * hd * (f16 ? 2 : 4);
                PagedKv kv = new PagedKv(arena.allocate(bytes, 64), arena.allocate(bytes, 64), bs, nKv, hd, f16);
                List<Integer> free = new ArrayList<>();
                for (int b = 0; b < numBlocks; b++) free.add(b);
                Collections.shuffle(free, r);
                int[][] bt = new int[ctxLen.length][];
                float[][][] kc = new float[ctxLen.length][][], vc = new float[ctxLen.length][][];
                for (int s = 0; s < ctxLen.length; s++) {
                    bt[s] = new int[(ctxLen[s] + bs - 1) / bs];
                    for (int i = 0; i < bt[s].length; i++) bt[s][i] = free.remove(free.size() - 1);
                    kc[s] = new float[ctxLen[s]][];
                    vc[s] = new float[ctxLen[s]][];
                    for (int p = 0; p < ctxLen[s]; p++) {
                        kc[s][p] = Seeds.floats(r, nKv * hd, 1f);
                        vc[s][p] = Seeds.floats(r, nKv * hd, 1f);
                        long o = kv.offset(bt[s][p / bs], p % bs, 0);
                        store(kv.k(), o, kc[s][p], f16); // the reference reads what was stored (rounded for f16)
                        store(kv.v(), o, vc[s][p], f16);
                    }
                }
                // Batch: last 5 positions of seq 0 (prefill chunk), seq 1 positions 0..11, seq 2 position 0.
                List<int[]> toks = new ArrayList<>();
                for (int p = 32; p < 37; p++) toks.add(new int[] {0, p});
                for (int p = 0; p < 12; p++) toks.add(new int[] {1, p});
                toks.add(new int[] {2, 0});
                int T = toks.size();
                int[] seq = new int[T], pos = new int[T];
                for (int t = 0; t < T; t++) { seq[t] = toks.get(t)[0]; pos[t] = toks.get(t)[1]; }
                float[] q = Seeds.floats(r, 3 + T * nHeads * hd, 1f);
                float scale = (float) (1 / Math.sqrt(hd));
                double[] ref = naive(q, 3, kc, vc, seq, pos, nHeads, nKv, hd, scale);
                List<AttentionKernel> kernels = new ArrayList<>(List.of(new VectorAttention(), new ScalarAttention()));
                // the native twin where the backend builds it (hd = 20 is not a multiple of 16: its JVM fallback runs)
                dev.ingot.kernel.nativec.NativeBackend.get().attention(new VectorAttention()).ifPresent(kernels::add);
                for (AttentionKernel k : kernels) {
                    float[] out = new float[1 + T * nHeads * hd];
                    k.attend(kv, nHeads, q, 3, out, 1, seq, pos, bt, scale, 0, T * nHeads);
                    compare(k + " serial bs=" + bs + " hd=" + hd + " f16=" + f16, out, ref);
                    out = new float[1 + T * nHeads * hd]; // item ranges that cut GQA groups (3 heads) apart
                    k.attend(kv, nHeads, q, 3, out, 1, seq, pos, bt, scale, 0, 4);
                    k.attend(kv, nHeads, q, 3, out, 1, seq, pos, bt, scale, 4, 17);
                    k.attend(kv, nHeads, q, 3, out, 1, seq, pos, bt, scale, 17, T * nHeads);
                    compare(k + " split bs=" + bs + " hd=" + hd + " f16=" + f16, out, ref);
                    out = new float[1 + T * nHeads * hd];
                    new ParallelAttention(k).run(pool, kv, T, nHeads, q, 3, out, 1, seq, pos, bt, scale);
                    compare(k + " pool bs=" + bs + " hd=" + hd + " f16=" + f16, out, ref);
                }
            }
        }
    }

    /** Writes row at byte offset o (as halves when f16) and rounds row in place to what was stored. */
    private static void store(MemorySegment seg, long o, float[] row, boolean f16) {
        for (int i = 0; i < row.length; i++) {
            if (f16) {
                short h = Float.floatToFloat16(row[i]);
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2L * i, h);
                row[i] = Float.float16ToFloat(h);
            } else {
                seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, o + 4L * i, row[i]);
            }
        }
    }

    private static void compare(String what, float[] out, double[] ref) {
        for (int i = 0; i < ref.length; i++) {
            assertThat((double) out[1 + i]).as("%s element %d", what, i).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(2e-5));
        }
    }

    /** Causal softmax(q k^T * scale) v per token and head, in double, over contiguous K/V [ctx][nKv*hd]. */
    private static double[] naive(float[] q, int qOff, float[][][] kc, float[][][] vc, int[] seq, int[] pos,
                                  int nHeads, int nKv, int hd, float scale) {
        int T = seq.length;
        double[] out = new double[T * nHeads * hd];
        for (int t = 0; t < T; t++) {
            for (int h = 0; h < nHeads; h++) {
                int kvh = h / (nHeads / nKv), n = pos[t] + 1;
                double[] sc = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < n; p++) {
                    double s = 0;
                    for (int i = 0; i < hd; i++) s += (double) q[qOff + (t * nHeads + h) * hd + i] * kc[seq[t]][p][kvh * hd + i];
                    sc[p] = s * scale;
                    max = Math.max(max, sc[p]);
                }
                double sum = 0;
                for (int p = 0; p < n; p++) sum += sc[p] = Math.exp(sc[p] - max);
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < hd; i++) out[(t * nHeads + h) * hd + i] += sc[p] / sum * vc[seq[t]][p][kvh * hd + i];
                }
            }
        }
        return out;
    }
}
