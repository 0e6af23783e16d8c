package dev.ingot.kernel.nativec;

import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.kernel.memory.HugePages;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/**
 * The packed VNNI kernel on weights that are not in cache, as in a whole model (each layer's weights are read once
 * per step): one thread cycles through {@code copies} packed copies of an N x K Q8_0 matrix, against the same call
 * on one copy (hot). Variants of the prefetch distance ({@code -DPFD=n}), or {@code amx} (the AMX tiles), alternate. Prints ns per
 * call, weight GB/s and GMAC/s. {@code ... dev.ingot.kernel.nativec.StreamBench [copies] [T,T,...] [PFD,PFD,...]}
 */
public final class StreamBench {
    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 96;
        String[] ts = (args.length > 1 ? args[1] : "1,4,16").split(",");
        String[] pfds = (args.length > 2 ? args[2] : "8,16,32").split(",");
        int N = 2048, K = 768;
        NativeSource src = NativeSource.of(DType.Q8_0);
        NativeToolchain tc = NativeToolchain.find(Path.of(System.getProperty("java.io.tmpdir"), "ingot-stream-bench"));
        NativeLinear[] ks = new NativeLinear[pfds.length];
        for (int i = 0; i < pfds.length; i++) {
            // "8": prefetch distance 8 on the default tile; "2x4": packed tile of 2 row groups x 4 tokens
            if (pfds[i].startsWith("amx")) { // the AMX tiles on the same packed weights; "amx:-DX=1:-DY=2": built with flags
                String[] f = pfds[i].split(":");
                ks[i] = new NativeLinear(src, (f.length == 1 ? tc : tc.withFlags(java.util.Arrays.copyOfRange(f, 1, f.length))).library(src));
                continue;
            }
            String[] gt = pfds[i].split("x");
            NativeSource si = gt.length == 2 ? NativeSource.packed(DType.Q8_0, Integer.parseInt(gt[0]), Integer.parseInt(gt[1]), NativeSource.DECODE_GROUPS) : src;
            String flag = pfds[i].startsWith("n") ? "-DPFNEXT=" + pfds[i].substring(1) // "n0": no next-group prefetch
                    : pfds[i].startsWith("h") ? "-DPFNXHINT=_MM_HINT_T" + pfds[i].substring(1) : "-DPFD=" + pfds[i];
            ks[i] = new NativeLinear(si, (gt.length == 2 ? tc : tc.withFlags(flag)).library(si));
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment w = RandomWeights.of(arena, DType.Q8_0, N, K, new Random(7));
            long bytes = ks[0].packedBytes(N, K);
            MemorySegment[] wp = new MemorySegment[copies];
            for (int c = 0; c < copies; c++) {
                wp[c] = HugePages.allocate(arena, bytes); // as the engine's packed weights (-Dingot.hugepages=false: 4 KiB pages)
                ks[0].pack(w, N, K, wp[c], 0, NativeLinear.groups(N));
            }
            for (String tt : ts) {
                int T = Integer.parseInt(tt);
                float[] x = Seeds.floats(new Random(1), T * K, 0.5f), y = new float[T * N];
                MemorySegment xq = arena.allocate(T * NativeLinear.packedTokenBytes(K), 64);
                ks[0].quantizePacked(x, 0, K, K, 0, T, xq);
                MemorySegment xa = arena.allocate(NativeLinear.packedAmxActivationBytes(K, T), 64);
                ks[0].quantizePackedAmx(x, 0, K, K, 0, T, T, xa);
                double[] cold = new double[ks.length], hot = new double[ks.length];
                java.util.Arrays.fill(cold, Double.MAX_VALUE);
                java.util.Arrays.fill(hot, Double.MAX_VALUE);
                for (int rep = 0; rep < 6; rep++) {
                    for (int v = 0; v < ks.length; v++) {
                        NativeLinear k = ks[v];
                        boolean amx = pfds[v].startsWith("amx");
                        long t0 = System.nanoTime();
                        for (int c = 0; c < copies; c++) {
                            if (amx) k.rowsPackedAmx(wp[c], N, K, xa, y, 0, N, T, null, 0, NativeLinear.groups(N));
                            else k.rowsPacked(wp[c], N, K, xq, y, 0, N, T, null, 0, NativeLinear.groups(N));
                        }
                        cold[v] = Math.min(cold[v], (System.nanoTime() - t0) / (double) copies);
                        t0 = System.nanoTime();
                        for (int c = 0; c < copies; c++) {
                            if (amx) k.rowsPackedAmx(wp[0], N, K, xa, y, 0, N, T, null, 0, NativeLinear.groups(N));
                            else k.rowsPacked(wp[0], N, K, xq, y, 0, N, T, null, 0, NativeLinear.groups(N));
                        }
                        hot[v] = Math.min(hot[v], (System.nanoTime() - t0) / (double) copies);
                    }
                }
                for (int v = 0; v < ks.length; v++) {
                    double macs = (double) N * K * T;
                    System.out.printf("T=%2d v=%4s  cold %8.1f us (%5.1f GB/s, %6.1f GMAC/s)   hot %8.1f us (%6.1f GMAC/s)   cold/hot %.2f%n",
                            T, pfds[v], cold[v] / 1e3, bytes / cold[v], macs / cold[v], hot[v] / 1e3, macs / hot[v], cold[v] / hot[v]);
                }
            }
        }
    }
}
