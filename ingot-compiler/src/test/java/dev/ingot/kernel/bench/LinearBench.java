package dev.ingot.kernel.bench;

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
 * Throughput of the linear kernels at the shapes of a 1B Llama, next to the memory bandwidth probe.
 * Run (after {@code ./mvnw -pl ingot-compiler test-compile}): see {@code bin/bench-kernels} in this module,
 * or {@code java --add-modules jdk.incubator.vector -cp <classes:test-classes:ingot-ir.jar>
 * dev.ingot.kernel.bench.LinearBench [dtypes] [threads]}. Prints best-of-reps figures: matvec GB/s of
 * weights read (T = 1), matmul GFLOP/s (T = 128).
 */
public final class LinearBench {
    static final int[][] SHAPES = {{2048, 2048}, {8192, 2048}, {2048, 8192}, {128256, 2048}};

    public static void main(String[] args) {
        String[] dtypes = (args.length > 0 ? args[0] : "F32,F16,BF16,Q8_0,Q4_0,Q4_K,Q6_K").split(",");
        String mode = args.length > 1 ? args[1] : "all";
        int maxThreads = Runtime.getRuntime().availableProcessors();
        if (!mode.equals("matmul")) {
            for (int th = 1; th <= maxThreads; th++) {
                double bw = MemoryBandwidth.measure(th, 1L << 30, 3).gbPerSecond();
                System.out.printf("bandwidth probe: %d thread(s) %.1f GB/s%n", th, bw);
            }
        }
        for (String name : dtypes) {
            DType t = DType.valueOf(name);
            LinearKernel k = KernelProvider.get().linear(t);
            if (!mode.equals("matmul")) {
                for (int[] s : SHAPES) {
                    for (int th = 1; th <= maxThreads; th++) matvec(k, s[0], s[1], th);
                }
            }
            if (!mode.equals("matvec")) {
                for (int th = 1; th <= maxThreads; th++) matmul(k, 2048, 2048, 128, th);
            }
        }
    }

    /**
     * Bytes allocated by this thread so far: a kernel whose vectors C2 failed to keep in registers allocates
     * boxes on every call, which shows here (the calling thread does a share of the chunks).
     */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** What one allocated() call allocates itself (MXBean plumbing), subtracted from the figures. */
    static final long ALLOC_PROBE_COST;

    static {
        long c = 0;
        for (int i = 0; i < 3; i++) c = -allocated() + allocated();
        ALLOC_PROBE_COST = c;
    }

    static void matvec(LinearKernel k, int N, int K, int threads) {
        try (Arena a = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            Random r = new Random(1);
            // Enough copies to exceed 1 GiB so every call streams from DRAM, as in decoding a whole model
            // (the VM reports a 480 MB L3; a lone 4 MB matrix would be timed from cache).
            MemorySegment first = RandomWeights.of(a, k.dtype(), N, K, r);
            long bytes = first.byteSize();
            MemorySegment[] ws = new MemorySegment[(int) Math.max(1, ((1L << 30) + bytes - 1) / bytes)];
            ws[0] = first;
            for (int i = 1; i < ws.length; i++) ws[i] = a.allocate(bytes, 64).copyFrom(first);
            float[] x = new float[K], y = new float[N];
            for (int i = 0; i < K; i++) x[i] = r.nextFloat();
            ParallelLinear pl = new ParallelLinear(k);
            int reps = ws.length * (int) Math.max(1, Math.min(20, 4e9 / bytes / ws.length));
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) pl.run(pool, ws[i % ws.length], N, K, x, 0, K, y, 0, N, 1, null);
                best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
            }
            long alloc = allocated();
            pl.run(pool, ws[0], N, K, x, 0, K, y, 0, N, 1, null);
            alloc = allocated() - alloc - ALLOC_PROBE_COST;
            System.out.printf("matvec %-5s N=%6d K=%5d threads=%d: %8.1f us  %6.1f GB/s  (caller alloc %d B/call)%n",
                    k.dtype(), N, K, threads, best / 1e3, bytes / best, alloc);
        }
    }

    static void matmul(LinearKernel k, int N, int K, int T, int threads) {
        try (Arena a = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            Random r = new Random(2);
            MemorySegment w = RandomWeights.of(a, k.dtype(), N, K, r);
            float[] x = new float[T * K], y = new float[T * N];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            ParallelLinear pl = new ParallelLinear(k);
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 30; round++) { // the first rounds run C1 code while C2 compiles
                long t0 = System.nanoTime();
                pl.run(pool, w, N, K, x, 0, K, y, 0, N, T, null);
                best = Math.min(best, System.nanoTime() - t0);
            }
            long alloc = allocated();
            pl.run(pool, w, N, K, x, 0, K, y, 0, N, T, null);
            alloc = allocated() - alloc - ALLOC_PROBE_COST;
            System.out.printf("matmul %-5s N=%6d K=%5d T=%d threads=%d: %8.2f ms  %6.1f GFLOP/s  (caller alloc %d B/call)%n",
                    k.dtype(), N, K, T, threads, best / 1e6, 2.0 * N * K * T / best, alloc);
        }
    }
}
