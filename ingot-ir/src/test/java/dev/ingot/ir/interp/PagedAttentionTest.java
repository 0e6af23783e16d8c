package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * kv_write + paged attention against a contiguous causal attention computed naively from each sequence's full
 * K/V: shuffled blocks, several sequences of different lengths in one batch (prefill, decode, chunked prefill),
 * GQA.
 */
class PagedAttentionTest {
    /** Logged once; each try derives its Random from it and the case number jqwik reports. */
    private static final long BASE_SEED = Seeds.seed("paged-property");

    /** Cache geometry and heads of one case. */
    record Geometry(int numBlocks, int blockSize, int heads, int kvHeads, int headDim) {}

    /** kv_write of new K/V, then paged attention over the written caches: the engine's per-layer pattern. */
    static Graph graph(Geometry g) {
        GraphBuilder b = new GraphBuilder();
        Value q = b.input("q", DType.F32, "T", g.heads(), g.headDim());
        Value k = b.input("k", DType.F32, "T", g.kvHeads(), g.headDim());
        Value v = b.input("v", DType.F32, "T", g.kvHeads(), g.headDim());
        Value kc = b.input("k_cache", DType.F32, g.numBlocks(), g.blockSize(), g.kvHeads(), g.headDim());
        Value vc = b.input("v_cache", DType.F32, g.numBlocks(), g.blockSize(), g.kvHeads(), g.headDim());
        Value slots = b.input("slots", DType.I32, "T");
        Value bt = b.input("block_tables", DType.I32, "S", "B");
        Value lens = b.input("seq_lens", DType.I32, "S");
        Value seq = b.input("token_seq", DType.I32, "T");
        Value pos = b.input("positions", DType.I32, "T");
        Value kc2 = b.kvWrite(kc, k, slots, "k_cache'");
        Value vc2 = b.kvWrite(vc, v, slots, "v_cache'");
        return b.output(b.pagedAttention(q, kc2, vc2, bt, lens, seq, pos, "attn")).build();
    }

    /**
     * Runs one batch: sequence i has lens[i] positions of which those from newFrom[i] on are new this step (the
     * rest are already in the cache). Blocks are drawn from a shuffled pool; unused table entries are -1.
     */
    static void check(Random r, Geometry g, int[] lens, int[] newFrom, String what) {
        int s = lens.length, bs = g.blockSize(), hkv = g.kvHeads(), d = g.headDim(), h = g.heads();
        int maxBlocks = Arrays.stream(lens).map(l -> (l + bs - 1) / bs).max().orElse(1) + 1;
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < g.numBlocks(); i++) free.add(i);
        Collections.shuffle(free, r);
        int[] bt = new int[s * maxBlocks];
        Arrays.fill(bt, -1);
        float[][] fullK = new float[s][], fullV = new float[s][];
        int row = hkv * d; // floats per token per cache
        float[] kc = new float[g.numBlocks() * bs * row], vc = new float[kc.length];
        List<int[]> toks = new ArrayList<>(); // {seq, pos} of the new tokens, interleaved across sequences
        for (int q = 0; q < s; q++) {
            for (int blk = 0; blk * bs < lens[q]; blk++) bt[q * maxBlocks + blk] = free.removeFirst();
            fullK[q] = Seeds.floats(r, lens[q] * row, 1);
            fullV[q] = Seeds.floats(r, lens[q] * row, 1);
            for (int p = 0; p < lens[q]; p++) {
                int at = (bt[q * maxBlocks + p / bs] * bs + p % bs) * row;
                if (p < newFrom[q]) {
                    System.arraycopy(fullK[q], p * row, kc, at, row);
                    System.arraycopy(fullV[q], p * row, vc, at, row);
                } else {
                    toks.add(new int[] {q, p});
                }
            }
        }
        Collections.shuffle(toks, r); // token order in the flattened batch is arbitrary
        int t = toks.size();
        float[] qs = Seeds.floats(r, t * h * d, 1), ks = new float[t * row], vs = new float[t * row];
        int[] slots = new int[t], seqArr = new int[t], posArr = new int[t];
        for (int i = 0; i < t; i++) {
            int q = toks.get(i)[0], p = toks.get(i)[1];
            seqArr[i] = q;
            posArr[i] = p;
            slots[i] = bt[q * maxBlocks + p / bs] * bs + p % bs;
            System.arraycopy(fullK[q], p * row, ks, i * row, row);
            System.arraycopy(fullV[q], p * row, vs, i * row, row);
        }
        Map<String, Tensor> in = new HashMap<>();
        in.put("q", Tensor.f32(qs, t, h, d));
        in.put("k", Tensor.f32(ks, t, hkv, d));
        in.put("v", Tensor.f32(vs, t, hkv, d));
        in.put("k_cache", Tensor.f32(kc, g.numBlocks(), bs, hkv, d));
        in.put("v_cache", Tensor.f32(vc, g.numBlocks(), bs, hkv, d));
        in.put("slots", Tensor.i32(slots, t));
        in.put("block_tables", Tensor.i32(bt, s, maxBlocks));
        in.put("seq_lens", Tensor.i32(lens, s));
        in.put("token_seq", Tensor.i32(seqArr, t));
        in.put("positions", Tensor.i32(posArr, t));
        float[] out = Interpreter.run(graph(g), in).output(0).floats();

        double scale = 1 / Math.sqrt(d);
        for (int i = 0; i < t; i++) {
            int q = seqArr[i], p = posArr[i];
            for (int head = 0; head < h; head++) {
                int kvh = head / (h / hkv); // GQA: consecutive query heads share a KV head
                double[] w = new double[p + 1];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j <= p; j++) {
                    for (int e = 0; e < d; e++) w[j] += (double) qs[(i * h + head) * d + e] * fullK[q][j * row + kvh * d + e];
                    w[j] *= scale;
                    max = Math.max(max, w[j]);
                }
                for (int j = 0; j <= p; j++) sum += w[j] = Math.exp(w[j] - max);
                float[] ref = new float[d];
                for (int e = 0; e < d; e++) {
                    double acc = 0;
                    for (int j = 0; j <= p; j++) acc += w[j] / sum * fullV[q][j * row + kvh * d + e];
                    ref[e] = (float) acc;
                }
                assertClose(Arrays.copyOfRange(out, (i * h + head) * d, (i * h + head + 1) * d), ref, 1e-6,
                        what + ": token " + i + " (seq " + q + ", pos " + p + ") head " + head);
            }
        }
        // the caches were written in place at the new tokens' slots
        for (int i = 0; i < t; i++) {
            assertThat(Arrays.copyOfRange(in.get("v_cache").floats(), slots[i] * row, (slots[i] + 1) * row))
                    .containsExactly(Arrays.copyOfRange(vs, i * row, (i + 1) * row));
        }
    }

    @Test
    void prefillDecodeAndChunkedPrefillInOneBatch() {
        // a 7-token prefill, a decode step at position 9, and a 3-token chunk continuing a 5-token prefix
        check(Seeds.random("paged-fixed"), new Geometry(16, 4, 4, 2, 8), new int[] {7, 10, 8}, new int[] {0, 9, 5}, "fixed");
    }

    @Property(tries = 40)
    void randomGeometriesAndBatches(@ForAll @IntRange(min = 0, max = 1_000_000) int case_) {
        Random r = new Random(BASE_SEED + case_);
        int[][] headCfg = {{1, 1}, {4, 4}, {4, 2}, {6, 1}, {8, 2}};
        int[] hc = headCfg[r.nextInt(headCfg.length)];
        int bs = new int[] {1, 2, 3, 4, 16}[r.nextInt(5)];
        int d = new int[] {1, 3, 8, 13}[r.nextInt(4)];
        int s = 1 + r.nextInt(4);
        int[] lens = new int[s], newFrom = new int[s];
        int blocks = 0;
        for (int i = 0; i < s; i++) {
            lens[i] = 1 + r.nextInt(20);
            newFrom[i] = r.nextInt(lens[i]); // at least one new token per sequence
            blocks += (lens[i] + bs - 1) / bs;
        }
        check(r, new Geometry(blocks + r.nextInt(4), bs, hc[0], hc[1], d), lens, newFrom,
                "case " + case_ + " bs=" + bs + " heads=" + hc[0] + "/" + hc[1] + " d=" + d + " lens=" + Arrays.toString(lens));
    }

    @Test
    void rejectsPositionsBeyondSequenceLengthAndBadBlocks() {
        Geometry g = new Geometry(4, 4, 2, 1, 2);
        Map<String, Tensor> in = new HashMap<>();
        in.put("q", Tensor.f32(new float[4], 1, 2, 2));
        in.put("k", Tensor.f32(new float[2], 1, 1, 2));
        in.put("v", Tensor.f32(new float[2], 1, 1, 2));
        in.put("k_cache", Tensor.zeros(DType.F32, 4, 4, 1, 2));
        in.put("v_cache", Tensor.zeros(DType.F32, 4, 4, 1, 2));
        in.put("slots", Tensor.i32(new int[] {5}, 1));
        in.put("block_tables", Tensor.i32(new int[] {1, 2}, 1, 2));
        in.put("seq_lens", Tensor.i32(new int[] {2}, 1));
        in.put("token_seq", Tensor.i32(new int[] {0}, 1));
        in.put("positions", Tensor.i32(new int[] {2}, 1));
        assertThatThrownBy(() -> Interpreter.run(graph(g), in)).hasMessageContaining("paged_attention").hasMessageContaining("position 2");
        in.put("positions", Tensor.i32(new int[] {1}, 1));
        in.put("block_tables", Tensor.i32(new int[] {7, 2}, 1, 2));
        assertThatThrownBy(() -> Interpreter.run(graph(g), in)).hasMessageContaining("block 0 is 7");
    }
}
