package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * One thread, one shape, several native schedules (rows x tokens x rowBlock): best-of-reps GFLOP/s, for
 * choosing {@link NativeSource#of}'s default. Args: dtype N K T schedules, e.g.
 * {@code Q8_0 2048 2048 128 4x4x16,2x8x16,4x6x16}.
 */
public final class ScheduleSweep {
    public static void main(String[] a) throws IOException {
        DType dt = DType.valueOf(a[0]);
        int N = Integer.parseInt(a[1]), K = Integer.parseInt(a[2]), T = Integer.parseInt(a[3]);
        NativeToolchain tc = NativeToolchain.find(NativeToolchain.defaultCacheDir());
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(1)) {
            MemorySegment w = RandomWeights.of(arena, dt, N, K, new Random(7));
            for (int round = 0; round < 2; round++) {
                for (String s : a[4].split(",")) {
                    String[] p = s.split("x");
                    NativeSource src = new NativeSource(dt, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                    NativeLinear k = new NativeLinear(src, tc.library(src));
                    System.out.printf("%s %s N=%d K=%d T=%d: %.1f GFLOP/s%n", dt, s, N, K, T, NativeLinearBench.gflops(k, pool, w, N, K, T, false));
                }
            }
        }
    }
}
