package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.program.FusedCall;
import dev.ingot.kernel.attention.PagedKv;
import dev.ingot.kernel.attention.ScalarAttention;
import dev.ingot.kernel.elementwise.ScalarElementwise;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every schedule of the attention and fused spaces runs the arithmetic of the scalar reference, on odd sizes
 * with seeded random inputs (the seed is printed). Attention: 6 heads over 2 KV heads (GQA), headDim 32 (the C
 * kernel's) and 20 (not a multiple of the vector width: the C kernel falls back), blocks of 5 slots scattered
 * over the pool, 3 tokens at contexts 35..37; tolerance abs 2e-5 (outputs are convex mixes of V in [-1, 1]).
 * Fused ops: 13 rows of 207; rms_norm and swiglu rel 1e-5 + abs 1e-6 (a float sum of 207 squares in another
 * order; the vector exp within a few ulp), add abs 1e-6; and a row split equals the serial call bit for bit
 * (rows are never cut).
 */
class ScheduleKernelsTest {
    private static final WorkerPool POOL = new WorkerPool(2);

    @AfterAll
    static void close() { POOL.close(); }

    @Test
    void everyAttentionScheduleMatchesTheScalarKernel() {
        Random r = Seeds.random("schedule-kernels-attention");
        NativeBackend backend = NativeBackend.get();
        AttentionSpace space = AttentionSpace.here(2, backend);
        for (int[] cfg : new int[][] {{32, 0}, {20, 0}, {32, 1}}) {
            int hd = cfg[0], heads = 6, nKv = 2, bs = 5, T = 3, ctx = 37, blocks = 24;
            boolean f16 = cfg[1] == 1;
            try (Arena arena = Arena.ofShared()) {
                long floats = (long) blocks * bs * nKv * hd;
                int es = f16 ? 2 : 4;
                PagedKv kv = new PagedKv(arena.allocate(floats * es, 64), arena.allocate(floats * es, 64), bs, nKv, hd, f16);
                for (long i = 0; i < floats; i++) {
                    if (f16) {
                        kv.k().setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(r.nextFloat() * 2 - 1));
                        kv.v().setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(r.nextFloat() * 2 - 1));
                    } else {
                        kv.k().setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() * 2 - 1);
                        kv.v().setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() * 2 - 1);
                    }
                }
                List<Integer> free = new java.util.ArrayList<>();
                for (int b = 0; b < blocks; b++) free.add(b);
                java.util.Collections.shuffle(free, r);
                int[][] bt = {free.subList(0, (ctx + bs - 1) / bs).stream().mapToInt(Integer::intValue).toArray()};
                int[] seq = new int[T], pos = {ctx - 3, ctx - 2, ctx - 1};
                float[] q = Seeds.floats(r, T * heads * hd, 1f), ref = new float[q.length];
                float scale = (float) (1 / Math.sqrt(hd));
                new ScalarAttention().attend(kv, heads, q, 0, ref, 0, seq, pos, bt, scale, 0, T * heads);
                KernelSignature sig = KernelSignature.attention(f16 ? dev.ingot.tensor.DType.F16 : dev.ingot.tensor.DType.F32, heads, nKv, hd, bs, T, 256);
                List<AttentionSchedule> all = FamilySpacesTest.points(space, sig);
                assertThat(all).as("JVM points").anyMatch(s -> !s.nativeBackend());
                for (AttentionSchedule s : all) {
                    float[] out = new float[q.length];
                    AttentionCalls.single(s, backend).run(POOL, kv, T, heads, q, 0, out, 0, seq, pos, bt, scale);
                    for (int i = 0; i < ref.length; i++) {
                        assertThat(out[i]).as("%s hd=%d f16=%s element %d", s, hd, f16, i).isCloseTo(ref[i], Offset.offset(2e-5f));
                    }
                }
            }
        }
    }

    @Test
    void everyFusedScheduleMatchesTheScalarKernels() {
        Random r = Seeds.random("schedule-kernels-fused");
        int rows = 13, n = 207, m = rows * n;
        ScalarElementwise ref = new ScalarElementwise();
        float[] w = Seeds.floats(r, n, 1f);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ws = arena.allocate(4L * n, 64);
            MemorySegment.copy(w, 0, ws, ValueLayout.JAVA_FLOAT, 0, n);
            float[] in = Seeds.floats(r, 2 * m, 2f);
            for (FusedCall.Op op : FusedCall.Op.values()) {
                KernelSignature sig = KernelSignature.fused(op.id, n, rows);
                float[] expect = new float[2 * m]; // out0, out1
                for (int t = 0; t < rows; t++) {
                    int o = t * n;
                    switch (op) {
                        case RMS_NORM -> ref.rmsNorm(in, o, w, 0, expect, o, n, 1e-5f);
                        case ADD_RMS_NORM -> {
                            ref.add(in, o, in, m + o, expect, o, n);
                            ref.rmsNorm(expect, o, w, 0, expect, m + o, n, 1e-5f);
                        }
                        case SWIGLU -> ref.swiglu(in, o, in, m + o, expect, o, n);
                        case ADD -> ref.add(in, o, in, m + o, expect, o, n);
                    }
                }
                float[] serial = null;
                for (FusedSchedule s : FamilySpacesTest.points(new FusedSpace(2), sig)) {
                    float[] a = java.util.Arrays.copyOf(in, 4 * m);
                    new FusedCall(op, s.grain()).run(POOL, a, 0, m, 2 * m, 3 * m, op == FusedCall.Op.RMS_NORM || op == FusedCall.Op.ADD_RMS_NORM ? ws : null,
                            rows, n, 1e-5f);
                    float[] got = java.util.Arrays.copyOfRange(a, 2 * m, 4 * m);
                    if (serial == null) serial = got;
                    assertThat(got).as("%s %s equals the serial call", op, s).containsExactly(serial);
                    int outs = op == FusedCall.Op.ADD_RMS_NORM ? 2 * m : m;
                    for (int i = 0; i < outs; i++) {
                        float tol = op == FusedCall.Op.ADD ? 1e-6f : 1e-6f + 1e-5f * Math.abs(expect[i]);
                        assertThat(got[i]).as("%s %s element %d", op, s, i).isCloseTo(expect[i], Offset.offset(tol));
                    }
                }
            }
        }
    }
}
