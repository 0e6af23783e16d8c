package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.linear.RandomWeights;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.nativec.QuantRef;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every schedule variant the tuner can install computes the same results as the scalar reference, through the
 * real call site ({@code GroupedLinear}, one part) on a 2-thread pool, on odd shapes: N in {37, 203} (row tiles,
 * 16-row groups, tails, chunk boundaries), T in {1, 5, 19} (token tiles, token blocks and their tails), with
 * offsets, strides and a bias.
 * <ul>
 *   <li>JVM schedules (every grain x token block of the space): against the dequantised double reference,
 *       |y - ref| <= 2e-6 * sum |w x| + 1e-6 (only summation order differs, as in LinearKernelTest);</li>
 *   <li>native schedules (a spread of prefill tiles x decode tiles x grains): against {@link QuantRef}, the
 *       emulated integer path, |y - ref| <= 1e-5 * sum |block terms| + 1e-6 (as in NativeLinearTest).</li>
 * </ul>
 */
class ScheduleVariantsTest {
    private static final int[][] SHAPES = {{37, 96, 1}, {37, 96, 19}, {203, 416, 5}, {203, 64, 19}};

    @ParameterizedTest
    @EnumSource(names = {"F16", "Q8_0", "Q4_0", "Q4_K"})
    void jvmSchedulesMatchReference(DType t) {
        int k0 = t == DType.Q4_K ? 256 : 0;
        List<LinearSchedule> variants = new ArrayList<>();
        for (int g : new int[] {0, 8, 16, 64, 256}) for (int tb : new int[] {0, 8, 16}) variants.add(LinearSchedule.jvm(g, tb));
        Random r = Seeds.random("schedule-variants-jvm-" + t);
        run(t, variants, r, k0, false);
    }

    @Test
    void nativeSchedulesMatchQuantisedReference() {
        NativeBackend backend = NativeBackend.get();
        org.junit.jupiter.api.Assumptions.assumeTrue(backend.available(), "native backend off: " + backend.reason());
        List<LinearSchedule> variants = List.of(
                LinearSchedule.nativeTile(1, 8, 4, 0), LinearSchedule.nativeTile(1, 1, 1, 1),
                LinearSchedule.nativeTile(2, 6, 2, 2), LinearSchedule.nativeTile(3, 4, 6, 4),
                LinearSchedule.nativeTile(4, 2, 8, 32), LinearSchedule.nativeTile(1, 12, 4, 8));
        for (DType t : new DType[] {DType.Q8_0, DType.Q4_0}) run(t, variants, Seeds.random("schedule-variants-native-" + t), 0, true);
    }

    private static void run(DType t, List<LinearSchedule> variants, Random r, int kOverride, boolean quantRef) {
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(2)) {
            for (int[] s : SHAPES) {
                int N = s[0], K = kOverride > 0 ? kOverride : s[1], T = s[2];
                MemorySegment w = RandomWeights.of(arena, t, N, K, r);
                float[] x = Seeds.floats(r, 3 + T * (K + 1), 1f), bias = Seeds.floats(r, N, 1f);
                for (LinearSchedule v : variants) {
                    LinearKernel k = LinearCalls.exactKernel(v, t, NativeBackend.get()).orElseThrow();
                    // packed weights (tier 1, what the tuner tunes) and, for native kernels, row-major ones (tier 0)
                    for (var packing : quantRef ? GroupedLinear.Packing.values() : new GroupedLinear.Packing[] {GroupedLinear.Packing.POOL}) {
                        var call = new GroupedLinear(k, new MemorySegment[] {w}, new int[] {N}, K, new float[][] {bias}, pool,
                                packing, v.grain(), v.tokenBlock());
                        float[] y = new float[2 + T * (N + 5)];
                        call.run(pool, x, 3, K + 1, y, new int[] {2}, new int[] {N + 5}, T);
                        check(v + " " + packing + " " + t + " N=" + N + " K=" + K + " T=" + T, w, t, N, K, T, x, bias, y, quantRef);
                    }
                }
            }
        }
    }

    private static void check(String what, MemorySegment w, DType t, int N, int K, int T, float[] x, float[] bias,
                              float[] y, boolean quantRef) {
        long rb = t.rowBytes(K);
        for (int n = 0; n < N; n++) {
            float[] wr = Dequant.all(t, w, n * rb, K);
            for (int tok = 0; tok < T; tok++) {
                int xo = 3 + tok * (K + 1);
                double ref = bias[n], mag = 0;
                if (quantRef) {
                    double[] q = QuantRef.dot(wr, x, xo, K);
                    ref += q[0];
                    mag = 5 * q[1]; // 1e-5 relative: 5 x the 2e-6 below
                } else {
                    for (int i = 0; i < K; i++) {
                        double p = (double) wr[i] * x[xo + i];
                        ref += p;
                        mag += Math.abs(p);
                    }
                }
                float got = y[2 + tok * (N + 5) + n];
                assertThat(Math.abs(got - ref)).as("%s n=%d t=%d: got %s want %s", what, n, tok, got, ref)
                        .isLessThanOrEqualTo(2e-6 * mag + 1e-6);
            }
        }
        assertThat(y[0]).as(what + ": y before yOff untouched").isZero();
    }
}
