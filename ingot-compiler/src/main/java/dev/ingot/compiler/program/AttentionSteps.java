package dev.ingot.compiler.program;

import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.attention.PagedKv;
import dev.ingot.kernel.attention.AttentionPlan;
import dev.ingot.kernel.elementwise.Elementwise;
import dev.ingot.kernel.elementwise.RopeTable;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Attention-side steps: RoPE, writes into the paged KV cache, paged attention. */
final class AttentionSteps {
    private AttentionSteps() {}

    /** In-place RoPE of x [T, H, D] at each token's position (angles recomputed per token, shared by all heads). */
    record Rope(String label, int x, int out, int positions, Dim tokens, int heads, int headDim, float base,
                float[] freqFactors, RopeTable table, Elementwise ew) implements Step {
        @Override public void run(Frame f) {
            int t = (int) tokens.eval(f.binding);
            int[] pos = f.ints[positions];
            int xo = f.off(x), oo = f.off(out), row = heads * headDim;
            if (xo != oo) System.arraycopy(f.arena, xo, f.arena, oo, t * row);
            for (int i = 0; i < t; i++) {
                ew.rope(f.arena, oo + i * row, heads, headDim, table.fill(pos[i], base, 1f, freqFactors));
            }
        }

        @Override public String describe() { return "rope " + label + " " + table.mode() + " heads=" + heads; }
    }

    /**
     * cache[slots[t]] = kv[t] ([Hkv * D] floats per token, stored as halves when {@code f16}); a negative slot skips
     * the token.
     */
    record KvWrite(String label, int kv, int cache, int slots, Dim tokens, int rowFloats, boolean f16) implements Step {
        /** Per thread: one row rounded to halves, stored with one bulk copy (a per-element segment store is slower). */
        private static final ThreadLocal<short[]> HALVES = ThreadLocal.withInitial(() -> new short[0]);

        @Override public void run(Frame f) {
            int t = (int) tokens.eval(f.binding);
            MemorySegment seg = f.segments[cache];
            int[] slot = f.ints[slots];
            int o = f.off(kv), es = f16 ? 2 : 4;
            long cap = seg.byteSize() / ((long) es * rowFloats);
            short[] h = f16 ? halves(rowFloats) : null;
            for (int i = 0; i < t; i++) {
                int s = slot[i];
                if (s < 0) continue;
                if (s >= cap) throw new IllegalArgumentException(label + ": slot " + s + " outside the KV pool of " + cap + " slots");
                int src = o + i * rowFloats;
                if (f16) {
                    for (int j = 0; j < rowFloats; j++) h[j] = Float.floatToFloat16(f.arena[src + j]);
                    MemorySegment.copy(h, 0, seg, ValueLayout.JAVA_SHORT_UNALIGNED, (long) s * rowFloats * 2, rowFloats);
                } else {
                    MemorySegment.copy(f.arena, src, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) s * rowFloats * 4, rowFloats);
                }
            }
        }

        private static short[] halves(int n) {
            short[] h = HALVES.get();
            if (h.length < n) HALVES.set(h = new short[n]);
            return h;
        }

        @Override public String describe() { return "kv_write " + label + " row=" + rowFloats + (f16 ? " f16" : ""); }
    }

    /** out [T, H, D] = causal attention of q over each token's sequence, read through the block tables. */
    record Paged(String label, int q, int out, int kCache, int vCache, int blockTables, int tokenSeq, int positions,
                 Dim tokens, Dim seqs, Dim maxBlocks, int heads, int kvHeads, int headDim, int blockSize, boolean f16,
                 float scale, AttentionPlan plan, WorkerPool pool) implements Step {
        @Override public void run(Frame f) {
            int t = (int) tokens.eval(f.binding);
            int[][] bt = f.table(blockTables, (int) seqs.eval(f.binding), (int) maxBlocks.eval(f.binding));
            PagedKv kv = new PagedKv(f.segments[kCache], f.segments[vCache], blockSize, kvHeads, headDim, f16);
            plan.run(pool, kv, t, heads, f.arena, f.off(q), f.arena, f.off(out), f.ints[tokenSeq], f.ints[positions], bt, scale);
        }

        @Override public String describe() {
            return "paged_attention " + label + " heads=" + heads + "/" + kvHeads + " d=" + headDim + (f16 ? " f16" : "")
                    + (plan.label().isEmpty() ? "" : " [" + plan.label() + "]");
        }
    }
}
