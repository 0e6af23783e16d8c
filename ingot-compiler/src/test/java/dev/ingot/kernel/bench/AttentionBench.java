package dev.ingot.kernel.bench;

import dev.ingot.kernel.attention.AttentionKernel;
import dev.ingot.kernel.attention.PagedKv;
import dev.ingot.kernel.attention.ParallelAttention;
import dev.ingot.kernel.attention.ScalarAttention;
import dev.ingot.kernel.attention.VectorAttention;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.util.Random;

/**
 * Paged attention at serving shapes: S decode tokens (one per sequence) over contexts of {@code ctx}, 12 heads
 * of 64 (a 110M Llama), block size 16; serial and on the pool. Prints best-of-reps microseconds per call and
 * the K/V bytes read per second.
 * {@code java --add-modules jdk.incubator.vector -cp <classes:test-classes:deps> dev.ingot.kernel.bench.AttentionBench [S] [ctx] [threads] [kvHeads] [layers] [f16]}
 */
public final class AttentionBench {
    public static void main(String[] args) {
        int S = args.length > 0 ? Integer.parseInt(args[0]) : 16, ctx = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int heads = 12, kvHeads = args.length > 3 ? Integer.parseInt(args[3]) : 12, hd = 64, bs = 16;
        int layers = args.length > 4 ? Integer.parseInt(args[4]) : 1; // distinct KV pools, cycled: the working set of a step
        boolean f16 = args.length > 5 && args[5].equals("f16");
        int es = f16 ? 2 : 4;
        int blocksPerSeq = (ctx + bs - 1) / bs, numBlocks = S * blocksPerSeq;
        Random r = new Random(42);
        System.out.printf("seed 42, S=%d ctx=%d heads=%d/%d hd=%d bs=%d threads=%d layers=%d kv=%s%n", S, ctx, heads, kvHeads, hd, bs, threads, layers, f16 ? "f16" : "f32");
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            long bytes = (long) numBlocks * bs * kvHeads * hd * es;
            PagedKv[] pools = new PagedKv[layers];
            for (int l = 0; l < layers; l++) {
                pools[l] = new PagedKv(arena.allocate(bytes, 64), arena.allocate(bytes, 64), bs, kvHeads, hd, f16);
                for (long o = 0; o < bytes; o += es) {
                    if (f16) {
                        pools[l].k().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16(r.nextFloat() - 0.5f));
                        pools[l].v().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16(r.nextFloat() - 0.5f));
                    } else {
                        pools[l].k().set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, o, r.nextFloat() - 0.5f);
                        pools[l].v().set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, o, r.nextFloat() - 0.5f);
                    }
                }
            }
            int[] next = {0};
            java.util.function.Supplier<PagedKv> kvs = () -> pools[next[0]++ % layers];
            int[][] bt = new int[S][blocksPerSeq];
            for (int s = 0; s < S; s++) for (int b = 0; b < blocksPerSeq; b++) bt[s][b] = s * blocksPerSeq + b;
            int[] seq = new int[S], pos = new int[S];
            for (int s = 0; s < S; s++) { seq[s] = s; pos[s] = ctx - 1; }
            float[] q = new float[S * heads * hd], out = new float[S * heads * hd];
            for (int i = 0; i < q.length; i++) q[i] = r.nextFloat() - 0.5f;
            float scale = 0.125f;
            java.util.List<AttentionKernel> ks = new java.util.ArrayList<>(java.util.List.of(new VectorAttention(), new ScalarAttention()));
            dev.ingot.kernel.nativec.NativeBackend.get().attention(new VectorAttention()).ifPresent(ks::addFirst);
            for (int pf : new int[] {0, 2}) { // the C kernel's other prefetch distances (the default is 1 block)
                dev.ingot.kernel.nativec.NativeBackend.get().attention(new VectorAttention(), pf).ifPresent(k -> ks.add(1, k));
            }
            for (AttentionKernel k : ks) {
                String name = k instanceof dev.ingot.kernel.nativec.NativeAttention n ? "Native pf=" + n.prefetch() : k.getClass().getSimpleName();
                double serial = best(() -> k.attend(kvs.get(), heads, q, 0, out, 0, seq, pos, bt, scale, 0, S * heads));
                ParallelAttention pa = new ParallelAttention(k);
                double par = best(() -> pa.run(pool, kvs.get(), S, heads, q, 0, out, 0, seq, pos, bt, scale));
                double kvBytes = 2.0 * S * ctx * kvHeads * hd * es;
                System.out.printf("%-16s serial %8.1f us (%5.1f GB/s)   pool %8.1f us (%5.1f GB/s)%n", name,
                        serial, kvBytes / serial / 1e3, par, kvBytes / par / 1e3);
            }
        }
    }

    private static double best(Runnable r) {
        for (int i = 0; i < 2000; i++) r.run();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / 200);
        }
        return best;
    }
}
