package dev.ingot.kernel.nativec;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Java (SIMD, {@link KernelProvider}) vs native kernels in the same run, at the linear shapes of Llama 3.2 1B,
 * T = 1 and T = 128, 1..cores threads, on one {@link WorkerPool}: Java through {@link ParallelLinear}, native
 * through {@link GroupedLinear} (row-major weights), and (last column) native through plain ParallelLinear, which quantises
 * the activations again in every row chunk.
 * Prints best-of-reps GFLOP/s (best, not median: the host is shared and noise only ever slows a run down).
 * Run after test-compile: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
 * -cp <classes:test-classes:ingot-ir.jar:ingot-testkit.jar> dev.ingot.kernel.nativec.NativeLinearBench [dtypes] [Ts]}.
 */
public final class NativeLinearBench {
    static final int[][] SHAPES = {{2048, 2048}, {8192, 2048}, {2048, 8192}, {128256, 2048}};

    public static void main(String[] args) {
        String[] dtypes = (args.length > 0 ? args[0] : "Q8_0,Q4_0").split(",");
        String[] ts = (args.length > 1 ? args[1] : "1,128").split(",");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("native: " + NativeBackend.get().describe() + "; java: " + KernelProvider.get().describe());
        for (String name : dtypes) {
            DType dt = DType.valueOf(name);
            LinearKernel java = KernelProvider.get().linear(dt);
            LinearKernel nat = NativeBackend.get().linear(dt).orElseThrow(() -> new IllegalStateException(NativeBackend.get().describe()));
            try (Arena arena = Arena.ofShared()) {
                for (int[] s : SHAPES) {
                    MemorySegment w = RandomWeights.of(arena, dt, s[0], s[1], new Random(7));
                    for (String tt : ts) {
                        int T = Integer.parseInt(tt);
                        for (int th = 1; th <= cores; th++) {
                            try (WorkerPool pool = new WorkerPool(th)) {
                                double gj = gflops(java, pool, w, s[0], s[1], T, false), gn = gflops(nat, pool, w, s[0], s[1], T, false);
                                double gp = gflops(nat, pool, w, s[0], s[1], T, true);
                                System.out.printf("%-5s N=%6d K=%5d T=%3d threads=%d  java %6.1f  native %6.1f GFLOP/s (x%.2f)  native via ParallelLinear %6.1f%n",
                                        dt, s[0], s[1], T, th, gj, gn, gn / gj, gp);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Best of at least 3 timed calls and ~1.5 s, after warm-up calls (>= 3 and ~1 s) for C2. */
    static double gflops(LinearKernel k, WorkerPool pool, MemorySegment w, int N, int K, int T, boolean plain) {
        float[] x = new float[T * K], y = new float[T * N];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
        ParallelLinear jc = new ParallelLinear(k);
        GroupedLinear nc = !plain && k instanceof NativeLinear n ? new GroupedLinear(n, new MemorySegment[] {w}, new int[] {N}, K,
                new float[][] {null}, pool, GroupedLinear.Packing.NONE) : null;
        int[] yOff = {0}, yStride = {N};
        Runnable call = nc != null ? () -> nc.run(pool, x, 0, K, y, yOff, yStride, T)
                : () -> jc.run(pool, w, N, K, x, 0, K, y, 0, N, T, null);
        long end = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < end; i++) call.run();
        long best = Long.MAX_VALUE;
        end = System.nanoTime() + 1_500_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            call.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 2.0 * N * K * T / best;
    }
}
