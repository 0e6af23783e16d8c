package dev.ingot.kernel.bench;

import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.gemm.IntGemm;
import dev.ingot.kernel.gemm.IntGemmWeights;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.kernel.nativec.NativeIntGemm;
import dev.ingot.kernel.nativec.NativeSgemm;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Random;

/**
 * The encoder linears' GEMMs ({@code [M, K] x [N, K]^T} at the shapes of all-MiniLM / bge-small: M = 16, 128,
 * 4096) on the JVM tiles, the native F32 tiles and the exact integer GEMM (its activation prep included), called
 * alternately (a shared host's speed drifts; back-to-back calls compare fairly): GFLOP/s (GOP/s for integers).
 * {@code ingot-compiler/bench-kernels.sh dev.ingot.kernel.bench.EncoderGemmBench [threads]}
 */
public final class EncoderGemmBench {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        NativeSgemm sg = Gemm.nativeKernel(true);
        NativeIntGemm ig = IntGemm.nativeKernel();
        System.out.println("threads " + threads + ", f32: " + sg + ", int: " + ig);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int[] s : new int[][] {{16, 384, 1536}, {128, 384, 384}, {128, 384, 1536}, {128, 1536, 384}, {4096, 384, 1536}, {4096, 1536, 384}}) {
                int m = s[0], k = s[1], n = s[2];
                Random r = new Random(1);
                float[] a = new float[m * k], w = new float[n * k], ai = new float[m * k], wi = new float[n * k], c = new float[m * n];
                for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; ai[i] = r.nextInt(256) - 128; }
                for (int i = 0; i < w.length; i++) { w[i] = r.nextFloat() - 0.5f; wi[i] = r.nextInt(256) - 128; }
                PackedB pb = PackedB.pack(w, n, k, Gemm.nr(true));
                IntGemmWeights iw = IntGemmWeights.of(MemorySegment.ofArray(wi), n, k);
                IntGemm.Scratch scratch = new IntGemm.Scratch(m, k, ig != null);
                Runnable[] impls = {
                    () -> Gemm.run(pool, true, null, a, 0, k, pb, c, 0, n, m, Gemm.Epilogue.NONE),
                    () -> Gemm.run(pool, true, sg, a, 0, k, pb, c, 0, n, m, Gemm.Epilogue.NONE),
                    () -> IntGemm.run(pool, ig, ai, 0, k, iw, c, 0, n, m, scratch),
                };
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
                int reps = (int) Math.max(5, 2e10 / (2.0 * m * n * k) / 4);
                for (int round = 0; round < 4; round++) {
                    for (int i = 0; i < impls.length; i++) {
                        if (i == 1 && sg == null) continue;
                        long t0 = System.nanoTime();
                        for (int q = 0; q < reps; q++) impls[i].run();
                        best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e9 / reps);
                    }
                }
                double flop = 2.0 * m * n * k;
                System.out.printf(Locale.ROOT, "M%-5d K%-5d N%-5d  jvm f32 %6.1f  native f32 %6.1f  int %6.1f GFLOP/s%n",
                        m, k, n, flop / best[0] / 1e9, sg == null ? 0 : flop / best[1] / 1e9, flop / best[2] / 1e9);
            }
        }
    }
}
