package dev.ingot.kernel.bench;

import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.kernel.nativec.NativeSgemm;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.util.Locale;
import java.util.Random;

/**
 * The F32 linears of a BERT-small encoder (hidden 384, FFN 1536) in model order, every layer with its own weights,
 * so that, as in the model, the weights come from L3 or memory rather than from a hot cache: milliseconds per pass
 * and GFLOP/s per linear shape. Args: layers (6: all-MiniLM, 12: bge-small), rows M, threads.
 * {@code ingot-compiler/bench-kernels.sh dev.ingot.kernel.bench.EncoderLayersBench 6 16 2}. The host's speed drifts by
 * 20-30% over minutes: compare variants back to back, several times. {@code -Dbias=true} gives Q, K and V a bias (as
 * BERT's); {@code -Dtouch=true} rewrites A on the pool before each linear (untimed), as the row-split op before it
 * does in the model.
 */
public final class EncoderLayersBench {
    static final boolean TOUCH = Boolean.getBoolean("touch");
    static final boolean BIAS = Boolean.getBoolean("bias");

    public static void main(String[] args) {
        int layers = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int h = 384, f = 1536;
        int[][] shapes = {{h, h}, {h, h}, {h, h}, {h, h}, {f, h}, {h, f}}; // {N, K}: q k v o up down
        NativeSgemm sg = Gemm.nativeKernel(true);
        Random r = new Random(1);
        PackedB[][] w = new PackedB[layers][shapes.length];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < shapes.length; s++) {
                w[l][s] = PackedB.pack(Seeds.floats(r, shapes[s][0] * shapes[s][1], 0.5f), shapes[s][0], shapes[s][1], Gemm.nr(true));
            }
        }
        float[] a = Seeds.floats(r, m * f, 0.5f), c = new float[m * f], bias = new float[f];
        long[] ns = new long[shapes.length];
        try (WorkerPool pool = new WorkerPool(threads)) {
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 400; rep++) {
                long t0 = System.nanoTime();
                for (int l = 0; l < layers; l++) {
                    for (int s = 0; s < shapes.length; s++) {
                        if (TOUCH) { // the previous op wrote A on both cores (rows split), as LayerNorm and attention do
                            int kk = shapes[s][1];
                            pool.parallelFor(m, 1, (r0, r1) -> { for (int i = r0 * kk; i < r1 * kk; i++) a[i] = a[i] * 0.5f + 0.25f; });
                        }
                        long q = System.nanoTime();
                        Gemm.run(pool, true, sg, a, 0, shapes[s][1], w[l][s], c, 0, shapes[s][0], m, Gemm.Epilogue.bias(BIAS && s < 3 ? bias : null));
                        if (rep >= 100) ns[s] += System.nanoTime() - q;
                    }
                }
                if (rep >= 100) best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "layers %d M %d threads %d: best pass %.3f ms;", layers, m, threads, best));
            for (int s = 0; s < shapes.length; s++) {
                double flop = 2.0 * m * shapes[s][0] * shapes[s][1] * layers * 300;
                sb.append(String.format(Locale.ROOT, " %dx%d %.0f", shapes[s][0], shapes[s][1], flop / ns[s]));
            }
            System.out.println(sb + " GFLOP/s");
        }
    }
}
