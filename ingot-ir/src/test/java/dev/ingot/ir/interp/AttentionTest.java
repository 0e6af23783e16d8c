package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionTest {
    static final int NB = 16, BS = 4, H = 4, HKV = 2, D = 8;

    /** kv_write of new K/V, then paged attention over the written caches: the engine's per-layer pattern. */
    static Graph pagedGraph() {
        GraphBuilder b = new GraphBuilder();
        Value q = b.input("q", DType.F32, "T", H, D);
        Value k = b.input("k", DType.F32, "T", HKV, D);
        Value v = b.input("v", DType.F32, "T", HKV, D);
        Value kc = b.input("k_cache", DType.F32, NB, BS, HKV, D);
        Value vc = b.input("v_cache", DType.F32, NB, BS, HKV, D);
        Value slots = b.input("slots", DType.I32, "T");
        Value bt = b.input("block_tables", DType.I32, "S", "B");
        Value lens = b.input("seq_lens", DType.I32, "S");
        Value seq = b.input("token_seq", DType.I32, "T");
        Value pos = b.input("positions", DType.I32, "T");
        Value kc2 = b.kvWrite(kc, k, slots, "k_cache'");
        Value vc2 = b.kvWrite(vc, v, slots, "v_cache'");
        return b.output(b.pagedAttention(q, kc2, vc2, bt, lens, seq, pos, "attn")).build();
    }

    @Test
    void pagedAttentionMatchesContiguousCausalAttention() {
        Random r = Seeds.random("paged-attention");
        // three sequences in one batch: a 7-token prefill, a decode step at position 9 (10 cached incl. new),
        // and a 3-token chunk continuing a 5-token prefix (positions 5..7)
        int[] lens = {7, 10, 8};
        int[] newFrom = {0, 9, 5};
        int s = lens.length, maxBlocks = 3;
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < NB; i++) free.add(i);
        Collections.shuffle(free, r);
        int[] bt = new int[s * maxBlocks];
        java.util.Arrays.fill(bt, -1); // unused table entries must never be read
        float[][] fullK = new float[s][], fullV = new float[s][];
        float[] kc = new float[NB * BS * HKV * D], vc = new float[kc.length];
        List<Integer> tokSeq = new ArrayList<>(), tokPos = new ArrayList<>();
        for (int q = 0; q < s; q++) {
            for (int blk = 0; blk * BS < lens[q]; blk++) bt[q * maxBlocks + blk] = free.removeFirst();
            fullK[q] = Seeds.floats(r, lens[q] * HKV * D, 1);
            fullV[q] = Seeds.floats(r, lens[q] * HKV * D, 1);
            for (int p = 0; p < lens[q]; p++) {
                int row = (bt[q * maxBlocks + p / BS] * BS + p % BS) * HKV * D;
                if (p < newFrom[q]) { // already cached before this step
                    System.arraycopy(fullK[q], p * HKV * D, kc, row, HKV * D);
                    System.arraycopy(fullV[q], p * HKV * D, vc, row, HKV * D);
                } else {
                    tokSeq.add(q);
                    tokPos.add(p);
                }
            }
        }
        int t = tokSeq.size();
        float[] qs = Seeds.floats(r, t * H * D, 1), ks = new float[t * HKV * D], vs = new float[ks.length];
        int[] slots = new int[t], seqArr = new int[t], posArr = new int[t];
        for (int i = 0; i < t; i++) {
            int q = tokSeq.get(i), p = tokPos.get(i);
            seqArr[i] = q;
            posArr[i] = p;
            slots[i] = bt[q * maxBlocks + p / BS] * BS + p % BS;
            System.arraycopy(fullK[q], p * HKV * D, ks, i * HKV * D, HKV * D);
            System.arraycopy(fullV[q], p * HKV * D, vs, i * HKV * D, HKV * D);
        }
        Map<String, Tensor> in = new HashMap<>();
        in.put("q", Tensor.f32(qs, t, H, D));
        in.put("k", Tensor.f32(ks, t, HKV, D));
        in.put("v", Tensor.f32(vs, t, HKV, D));
        in.put("k_cache", Tensor.f32(kc, NB, BS, HKV, D));
        in.put("v_cache", Tensor.f32(vc, NB, BS, HKV, D));
        in.put("slots", Tensor.i32(slots, t));
        in.put("block_tables", Tensor.i32(bt, s, maxBlocks));
        in.put("seq_lens", Tensor.i32(lens, s));
        in.put("token_seq", Tensor.i32(seqArr, t));
        in.put("positions", Tensor.i32(posArr, t));
        Interpreter.Result res = Interpreter.run(pagedGraph(), in);
        assertThat(res.binding()).containsEntry("T", (long) t).containsEntry("S", 3L).containsEntry("B", 3L);
        float[] out = res.output(0).floats();

        // reference: per token, contiguous attention over its sequence's K/V rows 0..pos, GQA head h -> h / 2
        float scale = (float) (1 / Math.sqrt(D));
        for (int i = 0; i < t; i++) {
            int q = seqArr[i], p = posArr[i];
            for (int h = 0; h < H; h++) {
                int kvh = h / (H / HKV);
                float[] qRow = java.util.Arrays.copyOfRange(qs, (i * H + h) * D, (i * H + h + 1) * D);
                float[] kRows = new float[(p + 1) * D], vRows = new float[(p + 1) * D];
                for (int j = 0; j <= p; j++) {
                    System.arraycopy(fullK[q], (j * HKV + kvh) * D, kRows, j * D, D);
                    System.arraycopy(fullV[q], (j * HKV + kvh) * D, vRows, j * D, D);
                }
                float[] ref = run((b, v) -> b.attention(v.get(0), v.get(1), v.get(2), null, scale, false, null),
                        Tensor.f32(qRow, 1, D), Tensor.f32(kRows, p + 1, D), Tensor.f32(vRows, p + 1, D)).floats();
                assertClose(java.util.Arrays.copyOfRange(out, (i * H + h) * D, (i * H + h + 1) * D), ref, 1e-6,
                        "token " + i + " (seq " + q + ", pos " + p + ") head " + h);
            }
        }
        // the caches were written in place
        assertThat(in.get("k_cache").floats()[slots[0] * HKV * D]).isEqualTo(ks[0]);
    }

    @Test
    void pagedAttentionRejectsPositionsBeyondSequenceLength() {
        Map<String, Tensor> in = new HashMap<>();
        in.put("q", Tensor.f32(new float[H * D], 1, H, D));
        in.put("k", Tensor.f32(new float[HKV * D], 1, HKV, D));
        in.put("v", Tensor.f32(new float[HKV * D], 1, HKV, D));
        in.put("k_cache", Tensor.zeros(DType.F32, NB, BS, HKV, D));
        in.put("v_cache", Tensor.zeros(DType.F32, NB, BS, HKV, D));
        in.put("slots", Tensor.i32(new int[] {5}, 1));
        in.put("block_tables", Tensor.i32(new int[] {1, 2}, 1, 2));
        in.put("seq_lens", Tensor.i32(new int[] {2}, 1));
        in.put("token_seq", Tensor.i32(new int[] {0}, 1));
        in.put("positions", Tensor.i32(new int[] {2}, 1));
        assertThatThrownBy(() -> Interpreter.run(pagedGraph(), in)).hasMessageContaining("paged_attention").hasMessageContaining("position 2");
    }

    @Test
    void sdpaCausalAndBoolMaskAgree() {
        Random r = Seeds.random("sdpa-mask");
        int l = 5;
        float[] q = Seeds.floats(r, 2 * l * D, 1), k = Seeds.floats(r, 2 * l * D, 1), v = Seeds.floats(r, 2 * l * 3, 1);
        boolean[] tril = new boolean[l * l];
        for (int i = 0; i < l; i++) for (int j = 0; j <= i; j++) tril[i * l + j] = true;
        float[] causal = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), null, 0.3f, true, null),
                Tensor.f32(q, 2, l, D), Tensor.f32(k, 2, l, D), Tensor.f32(v, 2, l, 3)).floats();
        float[] masked = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), x.get(3), 0.3f, false, null),
                Tensor.f32(q, 2, l, D), Tensor.f32(k, 2, l, D), Tensor.f32(v, 2, l, 3), Tensor.bool(tril, l, l)).floats();
        assertThat(masked).containsExactly(causal);
        // row 0 attends only to key 0: output equals v[0]
        assertClose(java.util.Arrays.copyOfRange(causal, 0, 3), java.util.Arrays.copyOfRange(v, 0, 3), 1e-7, "first row");
    }

    @Test
    void sdpaHandValuesWithAdditiveMask() {
        // q = (1, 0), keys (1, 0) and (0, 1), scale 1: scores (1, 0) + mask (0, ln 3) = (1, ln 3)
        float[] out = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), x.get(3), 1f, false, null),
                Tensor.f32(new float[] {1, 0}, 1, 2), Tensor.f32(new float[] {1, 0, 0, 1}, 2, 2),
                Tensor.f32(new float[] {10, 20}, 2, 1), Tensor.f32(new float[] {0, (float) Math.log(3)}, 1, 2)).floats();
        // weights e^1 : e^(ln 3) = e : 3
        double w0 = Math.E / (Math.E + 3);
        assertClose(out, new float[] {(float) (10 * w0 + 20 * (1 - w0))}, 1e-5, "additive mask");
    }
}
