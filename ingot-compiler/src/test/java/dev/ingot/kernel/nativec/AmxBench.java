package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/**
 * AMX tiles vs the packed VNNI kernel, Q8_0, one thread, alternating calls (a shared host's speed drifts; the
 * ratio of back-to-back calls compares them): GFLOP/s including each path's activation quantisation.
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <classes:test-classes:deps>
 * dev.ingot.kernel.nativec.AmxBench [T,T,...]}
 */
public final class AmxBench {
    public static void main(String[] args) throws Exception {
        NativeSource src = NativeSource.of(DType.Q8_0);
        NativeLinear k = new NativeLinear(src, NativeToolchain.find(Path.of(System.getProperty("java.io.tmpdir"), "ingot-amx-bench")).library(src));
        if (!k.amx()) throw new IllegalStateException("no AMX on this machine");
        String[] ts = (args.length > 0 ? args[0] : "16,32,128").split(",");
        try (Arena arena = Arena.ofShared()) {
            for (int[] s : new int[][] {{2048, 2048}, {8192, 2048}, {2048, 8192}, {768, 768}, {2048, 768}}) {
                int N = s[0], K = s[1];
                MemorySegment w = RandomWeights.of(arena, DType.Q8_0, N, K, new Random(7));
                MemorySegment wp = arena.allocate(k.packedBytes(N, K), 64);
                k.pack(w, N, K, wp, 0, NativeLinear.groups(N));
                for (String tt : ts) {
                    int T = Integer.parseInt(tt);
                    float[] x = Seeds.floats(new Random(1), T * K, 0.5f), y = new float[T * N];
                    MemorySegment xq = arena.allocate(T * NativeLinear.packedTokenBytes(K), 64);
                    Runnable packed = () -> {
                        k.quantizePacked(x, 0, K, K, 0, T, xq);
                        k.rowsPacked(wp, N, K, xq, y, 0, N, T, null, 0, NativeLinear.groups(N));
                    };
                    float[] y2 = new float[T * N];
                    MemorySegment xpa = arena.allocate(NativeLinear.packedAmxActivationBytes(K, T), 64);
                    Runnable pka = () -> {
                        k.quantizePackedAmx(x, 0, K, K, 0, T, T, xpa);
                        k.rowsPackedAmx(wp, N, K, xpa, y2, 0, N, T, null, 0, NativeLinear.groups(N));
                    };
                    double bp = Double.MAX_VALUE, bk = Double.MAX_VALUE;
                    for (int rep = 0; rep < 40; rep++) {
                        bp = Math.min(bp, time(packed));
                        bk = Math.min(bk, time(pka));
                    }
                    double err = 0, mag = 0;
                    for (int i = 0; i < y.length; i++) { err = Math.max(err, Math.abs(y[i] - y2[i])); mag = Math.max(mag, Math.abs(y[i])); }
                    double flop = 2.0 * N * K * T;
                    System.out.printf("N=%5d K=%5d T=%3d  packed VNNI %7.1f GFLOP/s  AMX %7.1f GFLOP/s (x%.2f, max diff %.2g of %.2g)%n",
                            N, K, T, flop / bp, flop / bk, bp / bk, err, mag);
                }
            }
        }
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
