package dev.ingot.tune.search;

import dev.ingot.kernel.attention.PagedKv;
import dev.ingot.kernel.attention.ParallelAttention;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tune.AttentionCalls;
import dev.ingot.tune.AttentionSchedule;
import dev.ingot.tune.KernelSignature;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times an {@link AttentionSchedule} as a program's attention step runs it: one {@link ParallelAttention} call
 * over T tokens of one sequence at the signature's context bucket C (tokens at positions C - T .. C - 1, so each
 * reads about C cache rows; the bucket's longest context, its worst case). The KV pool is a real paged one:
 * [2 * ceil(C / blockSize) blocks][blockSize][kvHeads][headDim] of the signature's KV type (F32 or F16) with the sequence's blocks at seeded random
 * places (a serving cache's blocks are scattered), K/V and q seeded uniform [-1, 1). Timing: {@link PairedTiming}.
 * Not thread-safe; close to free the pools.
 */
public final class AttentionMeasurer extends PairedTiming<AttentionSchedule> {
    private final WorkerPool pool;
    private final NativeBackend backend;
    private final Arena arena = Arena.ofShared();
    private final Map<KernelSignature, Data> data = new HashMap<>();

    /** One signature's inputs: pool, block table, q [T, H, D], out, per-token sequence and position. */
    private record Data(PagedKv kv, int[][] bt, float[] q, float[] out, int[] seq, int[] pos, float scale) {}

    public AttentionMeasurer(WorkerPool pool, NativeBackend backend) {
        this.pool = pool;
        this.backend = backend;
    }

    @Override
    Runnable prepare(KernelSignature sig, AttentionSchedule s) {
        ParallelAttention call = AttentionCalls.single(s, backend);
        Data d = data.computeIfAbsent(sig, this::data);
        int T = sig.tokens(), heads = sig.n();
        return warm(() -> call.run(pool, d.kv(), T, heads, d.q(), 0, d.out(), 0, d.seq(), d.pos(), d.bt(), d.scale()));
    }

    private Data data(KernelSignature sig) {
        int heads = sig.dim(0), kvHeads = sig.dim(1), hd = sig.dim(2), bs = sig.dim(3), T = sig.tokens();
        int ctx = Math.max(sig.context(), T), used = (ctx + bs - 1) / bs, blocks = 2 * used;
        SplittableRandom r = new SplittableRandom(0xa77e5L ^ sig.text().hashCode());
        long elements = (long) blocks * bs * kvHeads * hd;
        boolean f16 = sig.dtype() == dev.ingot.tensor.DType.F16;
        PagedKv kv = new PagedKv(random(elements, f16, r), random(elements, f16, r), bs, kvHeads, hd, f16);
        int[] perm = new int[blocks]; // a seeded shuffle: the sequence's blocks lie anywhere in the pool
        for (int i = 0; i < blocks; i++) perm[i] = i;
        for (int i = blocks - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] seq = new int[T], pos = new int[T];
        for (int t = 0; t < T; t++) pos[t] = ctx - T + t;
        float[] q = new float[T * heads * hd];
        for (int i = 0; i < q.length; i++) q[i] = (float) (r.nextDouble() * 2 - 1);
        return new Data(kv, new int[][] {java.util.Arrays.copyOf(perm, used)}, q, new float[q.length], seq, pos,
                (float) (1 / Math.sqrt(hd)));
    }

    private MemorySegment random(long elements, boolean f16, SplittableRandom r) {
        MemorySegment m = arena.allocate(elements * (f16 ? 2 : 4), 64);
        for (long i = 0; i < elements; i++) {
            float v = (float) (r.nextDouble() * 2 - 1);
            if (f16) m.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(v));
            else m.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
        }
        return m;
    }

    @Override
    public void close() { arena.close(); }
}
