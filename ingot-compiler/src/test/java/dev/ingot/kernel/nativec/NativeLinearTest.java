package dev.ingot.kernel.nativec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.testkit.Seeds;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Native kernels (AVX512-VNNI build in three schedules, and the portable C twin) against two references on odd
 * shapes: N in {1, 13, 37} (row tiles, 1-row tails, cache block boundaries), K in {32, 96, 416}
 * (1, 3, 13 blocks: odd block counts hit the half-empty last pair), T in {1, 3, 9} (token tiles + tails),
 * with offsets, strides, bias and a split row range; schedules 3x8x24 (default), 3x5x7, 4x4x16.
 * <ul>
 *   <li>{@link QuantRef} emulates the integer path (Q8_0 activations, exact int dot per block, float scale):
 *       only float summation order differs, so |y - ref| <= 1e-5 * sum_b |block term| + 1e-6;</li>
 *   <li>the float reference (dequantised weights x float activations): the activation quantisation error,
 *       checked as NMSE <= 5e-4 over all shapes of a variant (llama.cpp test-backend-ops' bound for quantised
 *       matmul; a single 32-element dot is too noisy to hold to it alone).</li>
 * </ul>
 */
class NativeLinearTest {
    @TempDir Path cache;

    static NativeToolchain toolchain(Path cache) {
        try {
            return NativeToolchain.find(cache);
        } catch (IOException e) {
            assumeTrue(false, "no C compiler, native backend not testable here: " + e.getMessage());
            return null;
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void matchesReferences(DType t) throws IOException {
        NativeToolchain tc = toolchain(cache);
        var kernels = new java.util.ArrayList<NativeLinear>();
        // the last two: packed tiles of 2 groups x 16 tokens and 1 x 3 (token tails of every width, partial groups)
        for (NativeSource s : new NativeSource[] {NativeSource.of(t), new NativeSource(t, 3, 5, 7), new NativeSource(t, 4, 4, 16),
                NativeSource.packed(t, 2, 16, 2), NativeSource.packed(t, 1, 3, 1)}) {
            kernels.add(new NativeLinear(s, tc.library(s)));
        }
        if (System.getProperty("os.arch").equals("amd64")) {
            NativeSource s = NativeSource.of(t);
            kernels.add(new NativeLinear(s, tc.withFlags("-mno-avx512vnni").library(s)));
        }
        int rowMajor = kernels.size();
        double[] err = new double[2 * rowMajor], norm = new double[2 * rowMajor];
        var all = new java.util.ArrayList<LinearKernel>(kernels);
        for (NativeLinear k : kernels) all.add(new Packed(k)); // the packed ("x16") kernels of every build
        Random r = Seeds.random("native-linear-" + t);
        try (Arena arena = Arena.ofConfined()) {
            for (int K : new int[] {32, 96, 416}) {
                for (int N : new int[] {1, 13, 37}) {
                    MemorySegment w = RandomWeights.of(arena, t, N, K, r);
                    for (int T : new int[] {1, 3, 9, 13, 31}) {
                        float[] x = Seeds.floats(r, 2 + T * (K + 3), 1f);
                        float[] bias = (N & 1) == 1 ? Seeds.floats(r, N, 1f) : null;
                        for (int i = 0; i < all.size(); i++) {
                            double[] e = check(all.get(i), "variant " + i, w, N, K, T, x, bias);
                            err[i] += e[0];
                            norm[i] += e[1];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(err[i] / norm[i]).as("NMSE over all shapes, " + all.get(i) + " variant " + i).isLessThan(5e-4);
        }
    }

    /** The packed kernels of {@code k} seen as a row-major kernel: packs w, runs whole groups, copies rows [n0, n1). */
    record Packed(NativeLinear k) implements LinearKernel {
        @Override public DType dtype() { return k.dtype(); }

        @Override
        public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                         int T, float[] bias, int n0, int n1) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment wp = arena.allocate(k.packedBytes(n1, K), 64);
                k.pack(w, n1, K, wp, 0, NativeLinear.groups(n1));
                MemorySegment xq = arena.allocate(T * NativeLinear.packedTokenBytes(K), 64);
                k.quantizePacked(x, xOff, xStride, K, 0, T, xq);
                float[] full = new float[T * n1];
                k.rowsPacked(wp, n1, K, xq, full, 0, n1, T, bias, 0, NativeLinear.groups(n1));
                for (int t = 0; t < T; t++) System.arraycopy(full, t * n1 + n0, y, yOff + t * yStride + n0, n1 - n0);
            }
        }

        @Override public String toString() { return "packed " + k; }
    }

    /** The AMX tile kernel of {@code k} seen as a row-major kernel: packs w, tile-layout activations, whole groups. */
    record Amx(NativeLinear k) implements LinearKernel {
        @Override public DType dtype() { return k.dtype(); }

        @Override
        public void rows(MemorySegment w, int K, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                         int T, float[] bias, int n0, int n1) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment wp = arena.allocate(k.packedBytes(n1, K), 64);
                k.pack(w, n1, K, wp, 0, NativeLinear.groups(n1));
                MemorySegment xa = arena.allocate(NativeLinear.packedAmxActivationBytes(K, T), 64);
                int half = T / 2; // two quantise calls, the second one ending at T (zero-fills the last tile's lanes)
                k.quantizePackedAmx(x, xOff, xStride, K, 0, half, T, xa);
                k.quantizePackedAmx(x, xOff, xStride, K, half, T, T, xa);
                float[] full = new float[T * n1];
                k.rowsPackedAmx(wp, n1, K, xa, full, 0, n1, T, bias, 0, NativeLinear.groups(n1));
                for (int t = 0; t < T; t++) System.arraycopy(full, t * n1 + n0, y, yOff + t * yStride + n0, n1 - n0);
            }
        }

        @Override public String toString() { return "amx " + k; }
    }

    /**
     * The AMX tile kernel (Q8_0, where the CPU and OS allow AMX-INT8) against both references: full and partial
     * 16-token tiles, partial 16-row groups, odd block counts (the last block pair has one block). Its integer
     * dots are exact and it folds them in the packed VNNI kernel's order, so it also equals that kernel bit for bit.
     */
    @Test
    void amxMatchesReferences() throws IOException {
        NativeLinear k = new NativeLinear(NativeSource.of(DType.Q8_0), toolchain(cache).library(NativeSource.of(DType.Q8_0)));
        assumeTrue(k.amx(), "no AMX-INT8 on this CPU/OS");
        Amx amx = new Amx(k);
        Random r = Seeds.random("native-amx");
        double err = 0, norm = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int K : new int[] {32, 96, 416}) {
                for (int N : new int[] {1, 13, 37, 203}) {
                    MemorySegment w = RandomWeights.of(arena, DType.Q8_0, N, K, r);
                    for (int T : new int[] {1, 5, 16, 17, 33}) {
                        float[] x = Seeds.floats(r, 2 + T * (K + 3), 1f);
                        float[] bias = (N & 1) == 1 ? Seeds.floats(r, N, 1f) : null;
                        double[] e = check(amx, "amx", w, N, K, T, x, bias);
                        float[] ya = new float[T * N], yp = new float[T * N];
                        amx.rows(w, K, x, 2, K + 3, ya, 0, N, T, bias, 0, N);
                        new Packed(k).rows(w, K, x, 2, K + 3, yp, 0, N, T, bias, 0, N);
                        assertThat(ya).as("amx = packed VNNI, N=" + N + " K=" + K + " T=" + T).containsExactly(yp);
                        err += e[0];
                        norm += e[1];
                    }
                }
            }
        }
        assertThat(err / norm).as("NMSE over all shapes").isLessThan(5e-4);
    }

    /** Checks against {@link QuantRef}; returns {squared error, squared norm} against the float reference. */
    private static double[] check(LinearKernel k, String variant, MemorySegment w, int N, int K, int T, float[] x, float[] bias) {
        int xOff = 2, xStride = K + 3, yOff = 1, yStride = N + 2;
        float[] y = new float[yOff + T * yStride];
        int mid = N / 2;
        k.rows(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, 0, mid);
        k.rows(w, K, x, xOff, xStride, y, yOff, yStride, T, bias, mid, N);
        long rb = k.dtype().rowBytes(K);
        double err = 0, norm = 0;
        for (int n = 0; n < N; n++) {
            float[] wr = Dequant.all(k.dtype(), w, n * rb, K);
            for (int t = 0; t < T; t++) {
                double[] q = QuantRef.dot(wr, x, xOff + t * xStride, K);
                double b = bias == null ? 0 : bias[n];
                float got = y[yOff + t * yStride + n];
                String where = k + " " + variant + " " + k.dtype() + " N=" + N + " K=" + K + " T=" + T + " n=" + n + " t=" + t;
                assertThat((double) got).as(where).isCloseTo(q[0] + b, org.assertj.core.data.Offset.offset(1e-5 * q[1] + 1e-6));
                double f = b;
                for (int i = 0; i < K; i++) f += (double) wr[i] * x[xOff + t * xStride + i];
                err += (got - f) * (got - f);
                norm += f * f;
            }
        }
        assertThat(y[0]).as("y[0] before yOff untouched").isZero();
        return new double[] {err, norm};
    }

    @Test
    void selectorMeasuresOnceAndRemembers() {
        NativeBackend backend = NativeBackend.detect("auto");
        assumeTrue(backend.available(), "native backend off: " + backend.reason());
        KernelSelector sel = new KernelSelector(backend);
        LinearKernel k = sel.select(DType.Q8_0, null, 64, 256, 8);
        KernelSelector.Choice c = sel.choice(DType.Q8_0, 64, 256, 8).orElseThrow();
        assertThat(k instanceof NativeLinear).isEqualTo(c.nativeWins());
        assertThat(c.javaNs()).isPositive();
        assertThat(c.nativeNs()).isPositive();
        // a second select remembers the choice instead of measuring again
        sel.select(DType.Q8_0, null, 64, 256, 8);
        assertThat(sel.choice(DType.Q8_0, 64, 256, 8).orElseThrow()).isSameAs(c);
        assertThat(sel.select(DType.F32, null, 64, 256, 8)).isNotInstanceOf(NativeLinear.class);
        assertThat(sel.measure(DType.F32, null, 64, 256, 8)).isEmpty();
    }

    /** The row-major pool path (quantise once, split rows) computes the same arithmetic as rows(): results are identical. */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void parallelCallMatchesRows(DType t) throws IOException {
        NativeLinear k = new NativeLinear(NativeSource.of(t), toolchain(cache).library(NativeSource.of(t)));
        Random r = Seeds.random("native-parallel-" + t);
        try (Arena arena = Arena.ofShared(); var pool = new dev.ingot.kernel.parallel.WorkerPool(2)) {
            for (int[] s : new int[][] {{37, 96, 1}, {203, 416, 17}, {50, 64, 40}}) {
                int N = s[0], K = s[1], T = s[2];
                MemorySegment w = RandomWeights.of(arena, t, N, K, r);
                float[] x = Seeds.floats(r, 3 + T * (K + 1), 1f), bias = Seeds.floats(r, N, 1f);
                float[] a = new float[2 + T * (N + 5)], b = a.clone();
                k.rows(w, K, x, 3, K + 1, a, 2, N + 5, T, bias, 0, N);
                var call = new GroupedLinear(k, new MemorySegment[] {w}, new int[] {N}, K, new float[][] {bias}, pool,
                        GroupedLinear.Packing.NONE);
                call.run(pool, x, 3, K + 1, b, new int[] {2}, new int[] {N + 5}, T);
                assertThat(b).as(t + " N=" + N + " K=" + K + " T=" + T).containsExactly(a);
                // packed weights, with and without AMX tiles (where the CPU has them): the same result bit for bit
                float[] c = a.clone(), d = a.clone();
                new GroupedLinear(k, new MemorySegment[] {w}, new int[] {N}, K, new float[][] {bias}, pool, GroupedLinear.Packing.POOL)
                        .run(pool, x, 3, K + 1, c, new int[] {2}, new int[] {N + 5}, T);
                var amx = new GroupedLinear(k, new MemorySegment[] {w}, new int[] {N}, K, new float[][] {bias}, pool,
                        GroupedLinear.Packing.POOL, 0, 0, true);
                amx.run(pool, x, 3, K + 1, d, new int[] {2}, new int[] {N + 5}, T);
                assertThat(amx.amx()).isEqualTo(t == DType.Q8_0 && k.amx());
                assertThat(d).as("amx " + amx.amx() + ", " + t + " N=" + N + " K=" + K + " T=" + T).containsExactly(c);
            }
        }
    }

    /** Grouped parts (native and JVM kernels) equal each part run on its own, bit for bit, tails and odd N included. */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void groupedLinearMatchesPartsRunAlone(DType t) throws IOException {
        NativeLinear nat = new NativeLinear(NativeSource.of(t), toolchain(cache).library(NativeSource.of(t)));
        LinearKernel jvm = dev.ingot.kernel.KernelProvider.get().linear(t);
        Random r = Seeds.random("grouped-linear-" + t);
        try (Arena arena = Arena.ofShared(); var pool = new dev.ingot.kernel.parallel.WorkerPool(2)) {
            for (LinearKernel k : List.of(nat, jvm)) {
                for (int T : new int[] {1, 5, 19}) {
                    int K = 160;
                    int[] ns = {203, 37, 64};
                    MemorySegment[] ws = new MemorySegment[ns.length];
                    float[][] bias = {Seeds.floats(r, 203, 1f), null, Seeds.floats(r, 64, 1f)};
                    for (int i = 0; i < ns.length; i++) ws[i] = RandomWeights.of(arena, t, ns[i], K, r);
                    float[] x = Seeds.floats(r, 1 + T * K, 1f);
                    int[] yOff = {0, T * 203, T * 240};
                    float[] expect = new float[T * 304], got = new float[T * 304];
                    for (int i = 0; i < ns.length; i++) k.rows(ws[i], K, x, 1, K, expect, yOff[i], ns[i], T, bias[i], 0, ns[i]);
                    var g = new GroupedLinear(k, ws, ns, K, bias, pool);
                    g.run(pool, x, 1, K, got, yOff, ns, T);
                    if (k == jvm) {
                        assertThat(got).as(k + " T=" + T).containsExactly(expect);
                    } else { // packed layout: same integer dots, float sums in another order
                        for (int i = 0; i < got.length; i++) {
                            assertThat(got[i]).as(k + " T=" + T + " i=" + i).isCloseTo(expect[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(expect[i]))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void offMeansJvmKernels() {
        NativeBackend off = NativeBackend.detect("off");
        assertThat(off.available()).isFalse();
        assertThat(off.linear(DType.Q8_0)).isEmpty();
        assertThat(off.reason()).contains("-Dingot.native=off");
    }

    @Test
    void cachedLibraryIsReused() throws IOException {
        NativeToolchain tc = toolchain(cache);
        Path a = tc.library(NativeSource.of(DType.Q4_0));
        long mtime = Files.getLastModifiedTime(a).toMillis();
        assertThat(tc.library(NativeSource.of(DType.Q4_0))).isEqualTo(a);
        assertThat(Files.getLastModifiedTime(a).toMillis()).isEqualTo(mtime);
        assertThat(tc.library(NativeSource.of(DType.Q8_0))).isNotEqualTo(a);
    }
}
