package dev.ingot.kernel.nativec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.gemm.IntGemm;
import dev.ingot.kernel.gemm.IntGemmWeights;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link IntGemm} (native AMX / AVX512-VNNI in two tiles, the portable C twin, and the JVM twin, whose float k blocks
 * K = 1536 splits in three; with and without a pool)
 * against a scalar integer reference, bit for bit: {@code (float)} of the int32 sum of {@code (u - za)(w - zw)},
 * the arithmetic of ONNX MatMulInteger followed by its cast. Odd sizes (row tails of every tile, a last column
 * group shorter than 16, K not a multiple of 4), operands at offsets with padded leading dimensions, weights both
 * s8 with no zero point and u8 with per-column zero points (the s8 offset path), activations u8 minus a zero point.
 * Where the CPU has AMX, K a multiple of 64 with at least 16 rows runs 32- and 16-row blocks of 32 columns on the
 * tiles and the row and column tails on VNNI (96 x 100 x 192, 77 x 48 x 64, 48 x 96 x 64, 20 x 40 x 128); the 5 x 4
 * tile build runs with AMX off, so the VNNI tiles are checked at every size too.
 */
class IntGemmTest {
    @TempDir Path cache;

    private List<NativeIntGemm> kernels() throws IOException {
        List<NativeIntGemm> ks = new ArrayList<>();
        ks.add(null); // the JVM twin
        NativeToolchain tc;
        try {
            tc = NativeToolchain.find(cache);
        } catch (IOException e) {
            System.out.println("no C compiler, native integer GEMM not tested: " + e.getMessage());
            return ks;
        }
        ks.add(NativeIntGemm.load(tc, NativeIntGemm.MR, NativeIntGemm.NG));
        System.out.println("igemm kernel: " + ks.getLast());
        NativeIntGemm vnniOnly = NativeIntGemm.load(tc, 5, 4, false); // its own library: the VNNI tiles at every size
        if (tc.vnni()) assertThat(vnniOnly.amx()).isFalse();
        ks.add(vnniOnly);
        if (System.getProperty("os.arch").equals("amd64")) {
            NativeIntGemm portable = NativeIntGemm.load(tc.withFlags("-mno-avx512vnni"), NativeIntGemm.MR, NativeIntGemm.NG);
            assertThat(portable.vnni()).isFalse();
            ks.add(portable);
        }
        return ks;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} u8 weights={3}")
    @CsvSource({"1,1,1,false", "1,16,4,true", "3,17,5,false", "7,50,31,true", "13,33,130,false", "16,384,384,true",
            "29,100,67,false", "70,47,129,true", "130,64,1536,false",
            "96,100,192,true", "77,48,64,false", "48,96,64,true", "20,40,128,false"})
    void matchesIntegerReference(int m, int n, int k, boolean u8Weights) throws IOException {
        Random r = Seeds.random("igemm m=" + m + " n=" + n + " k=" + k + " u8=" + u8Weights);
        int lda = k + 3, ldc = n + 5, aOff = 7, cOff = 11;
        int za = r.nextInt(256);
        float[] a = new float[aOff + m * lda];
        int[] ai = new int[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                ai[i * k + j] = r.nextInt(256) - za;
                a[aOff + i * lda + j] = ai[i * k + j];
            }
        }
        float[] w = new float[n * k];
        int[] wi = new int[n * k];
        for (int j = 0; j < n; j++) {
            int zw = u8Weights ? r.nextInt(256) : 0;
            for (int i = 0; i < k; i++) {
                wi[j * k + i] = u8Weights ? r.nextInt(256) - zw : r.nextInt(256) - 128;
                w[j * k + i] = wi[j * k + i];
            }
        }
        float[] ref = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (int q = 0; q < k; q++) s += ai[i * k + q] * wi[j * k + q];
                ref[i * n + j] = (float) s;
            }
        }
        IntGemmWeights iw = IntGemmWeights.of(w, n, k);
        assertThat(iw).isNotNull();
        try (WorkerPool pool = new WorkerPool(3)) {
            for (NativeIntGemm kernel : kernels()) {
                for (WorkerPool p : new WorkerPool[] {null, pool}) {
                    float[] c = new float[cOff + m * ldc + 3];
                    java.util.Arrays.fill(c, Float.NaN);
                    boolean ok = IntGemm.run(p, kernel, a, aOff, lda, iw, c, cOff, ldc, m, new IntGemm.Scratch(m, k, kernel != null));
                    assertThat(ok).isTrue();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float got = c[cOff + i * ldc + j];
                            if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(ref[i * n + j])) {
                                throw new AssertionError((kernel == null ? "JVM" : kernel) + (p != null ? " pooled" : "") + " c[" + i + ", " + j + "] = "
                                        + got + ", reference " + ref[i * n + j]);
                            }
                        }
                        for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                            assertThat(c[cOff + i * ldc + j]).as("padding").isNaN();
                        }
                    }
                }
            }
        }
    }

    @Test
    void refusesWhatIsNotInteger() throws IOException {
        assertThat(IntGemmWeights.of(new float[] {1, 2.5f}, 1, 2)).isNull();
        assertThat(IntGemmWeights.of(new float[] {-128, 128}, 1, 2)).isNull(); // range 256
        assertThat(IntGemmWeights.of(new float[] {0, 255, -300, -45}, 2, 2)).isNotNull();
        IntGemmWeights w = IntGemmWeights.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        for (NativeIntGemm kernel : kernels()) {
            IntGemm.Scratch s = new IntGemm.Scratch(2, 3, kernel != null);
            float[] c = new float[4];
            assertThat(IntGemm.run(null, kernel, new float[] {1, 2, 3, 0, 0.5f, 0}, 0, 3, w, c, 0, 2, 2, s)).isFalse();
            assertThat(IntGemm.run(null, kernel, new float[] {1, 2, 3, 0, 256, 0}, 0, 3, w, c, 0, 2, 2, s)).isFalse();
            assertThat(IntGemm.run(null, kernel, new float[] {1, 2, 3, -7, 200, 0}, 0, 3, w, c, 0, 2, 2, s)).isTrue();
            assertThat(c).containsExactly(14, 32, 393, 972);
            // a row far from zero (|a| > 255): the JVM twin's exact int32 loop rather than its float k blocks
            assertThat(IntGemm.run(null, kernel, new float[] {1000, 1001, 1002, -7, 200, 0}, 0, 3, w, c, 0, 2, 2, s)).isTrue();
            assertThat(c).containsExactly(6008, 15017, 393, 972);
        }
    }

    /**
     * Dynamic quantisation fused into the prep ({@link IntGemm.Quant}): every kernel's result on float activations
     * equals, bit for bit, the plain product of the activations quantised one element at a time by
     * {@link IntGemm.Quant#apply} (the unfused graph's float operations), through the same kernel. Activations
     * include values beyond the clamp and exact .5 ties after scaling; u8 (0, 255) and s8 (-128, 127) clamps.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} s8={3}")
    @CsvSource({"1,1,1,false", "3,17,5,true", "13,33,130,false", "29,100,67,true", "70,47,384,false", "48,96,64,true"})
    void quantisingPrepEqualsQuantisedActivations(int m, int n, int k, boolean s8) throws IOException {
        Random r = Seeds.random("igemm quant m=" + m + " n=" + n + " k=" + k + " s8=" + s8);
        int lda = k + 3, aOff = 5;
        float scale = 0.0371f, zp = s8 ? r.nextInt(20) - 10 : r.nextInt(256), lo = s8 ? -128 : 0, hi = s8 ? 127 : 255;
        IntGemm.Quant q = new IntGemm.Quant(scale, zp, lo, hi, zp);
        float[] a = new float[aOff + m * lda], aq = new float[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                // mostly in range, some beyond the clamp, some on a .5 tie of x / scale
                float v = r.nextInt(10) == 0 ? (r.nextInt(256) + 0.5f) * scale : (r.nextFloat() * 2 - 1) * 6f;
                a[aOff + i * lda + j] = v;
                aq[i * k + j] = q.apply(v);
            }
        }
        float[] w = Seeds.floats(r, n * k, 1f);
        for (int i = 0; i < w.length; i++) w[i] = Math.round(w[i] * 127);
        IntGemmWeights iw = IntGemmWeights.of(w, n, k);
        try (WorkerPool pool = new WorkerPool(3)) {
            for (NativeIntGemm kernel : kernels()) {
                for (WorkerPool p : new WorkerPool[] {null, pool}) {
                    float[] want = new float[m * n], got = new float[m * n];
                    assertThat(IntGemm.run(p, kernel, aq, 0, k, iw, want, 0, n, m, new IntGemm.Scratch(m, k, kernel != null))).isTrue();
                    assertThat(IntGemm.run(p, kernel, a, aOff, lda, iw, got, 0, n, m, new IntGemm.Scratch(m, k, kernel != null), q)).isTrue();
                    assertThat(got).as("%s pooled=%s quantising prep vs quantised activations", kernel == null ? "JVM" : kernel, p != null)
                            .containsExactly(want);
                }
            }
        }
    }
}
