package dev.ingot.codegen.jvm.bench;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Rewrites;
import dev.ingot.compiler.loop.fused.FusedKernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Random;

/**
 * Generated vector code vs hand-written Vector API code vs the generated scalar twin, for add + RMSNorm
 * and SwiGLU at n = 4096 (a hidden size), rows = 1 (decode) and 32. The handles sit in static finals so
 * {@code invokeExact} inlines and C2 compiles caller and kernel as one. A generated/hand ratio near 1
 * means C2 intrinsified the generated vector calls; near 10 would mean it did not.
 *
 * <p>Run: {@code ./mvnw -o -q -pl ingot-compiler test-compile} then
 * {@code java --add-modules jdk.incubator.vector -cp ingot-compiler/target/classes:ingot-compiler/target/test-classes:ingot-ir/target/classes dev.ingot.codegen.jvm.bench.CodegenBench}
 */
public final class CodegenBench {
    static final int N = 4096;
    static final Kernel ADD_RMS = Rewrites.bind(FusedKernels.addRmsNorm(), Map.of("n", N));
    static final CompiledKernel ADD_RMS_K = JvmCodegen.compile(ADD_RMS);
    static final MethodHandle ADD_RMS_V = ADD_RMS_K.vector(), ADD_RMS_S = ADD_RMS_K.scalar();
    static final CompiledKernel SWIGLU_K = JvmCodegen.compile(Rewrites.bind(FusedKernels.swiglu(), Map.of("n", N)));
    static final MethodHandle SWIGLU_V = SWIGLU_K.vector(), SWIGLU_S = SWIGLU_K.scalar();

    /** RoPE NORM (adjacent pairs: strided gathers/scatters) and NEOX (contiguous halves), computed cos/sin, 32 heads of 128. */
    static final CompiledKernel ROPE_NORM = JvmCodegen.compile(Rewrites.bind(
            dev.ingot.compiler.loop.fused.Rope.computed(dev.ingot.compiler.loop.fused.Rope.Style.NORM), Map.of("H", 32, "D", 128)));
    static final CompiledKernel ROPE_NEOX = JvmCodegen.compile(Rewrites.bind(
            dev.ingot.compiler.loop.fused.Rope.computed(dev.ingot.compiler.loop.fused.Rope.Style.NEOX), Map.of("H", 32, "D", 128)));
    static final MethodHandle NORM_V = ROPE_NORM.vector(), NORM_S = ROPE_NORM.scalar(), NEOX_V = ROPE_NEOX.vector(), NEOX_S = ROPE_NEOX.scalar();

    interface Body {
        void run(int rows) throws Throwable;
    }

    public static void main(String[] args) throws Throwable {
        System.out.println("FloatVector lanes: " + JvmCodegen.preferredLanes() + ", cpus: " + Runtime.getRuntime().availableProcessors());
        for (int rows : new int[]{1, 32}) {
            float[] a = new float[5 * rows * N];
            Random r = new Random(42);
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            MemorySegment w = Arena.ofAuto().allocate(4L * N, 64);
            for (int i = 0; i < N; i++) w.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, 1 + i * 1e-4f);
            int x = 0, res = rows * N, h = 2 * rows * N, out = 3 * rows * N;
            float eps = 1e-5f;
            report("add_rms_norm", rows,
                    time(rows, n -> { ADD_RMS_V.invokeExact(a, x, a, res, w, a, h, a, out, n, eps); }),
                    time(rows, n -> HandWritten.addRmsNorm(a, x, res, w, h, out, n, N, eps)),
                    time(rows, n -> { ADD_RMS_S.invokeExact(a, x, a, res, w, a, h, a, out, n, eps); }));
            report("swiglu", rows,
                    time(rows, n -> { SWIGLU_V.invokeExact(a, x, a, res, a, out, n); }),
                    time(rows, n -> HandWritten.swiglu(a, x, res, out, n, N)),
                    time(rows, n -> { SWIGLU_S.invokeExact(a, x, a, res, a, out, n); }));
            rope(rows);
        }
    }

    static void rope(int rows) throws Throwable {
        float[] a = new float[2 * rows * 32 * 128];
        int[] pos = new int[rows];
        for (int t = 0; t < rows; t++) pos[t] = 100 + t;
        MemorySegment freq = Arena.ofAuto().allocate(4L * 64, 64);
        float[] f = dev.ingot.compiler.loop.fused.Rope.invFreq(128, 500000, null);
        for (int j = 0; j < 64; j++) freq.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, j, f[j]);
        int out = rows * 32 * 128;
        for (String style : new String[]{"norm", "neox"}) {
            MethodHandle v = style.equals("norm") ? NORM_V : NEOX_V, s = style.equals("norm") ? NORM_S : NEOX_S;
            double gen = time(rows, n -> { v.invokeExact(a, 0, pos, 0, freq, a, out, n); });
            double scalar = time(rows, n -> { s.invokeExact(a, 0, pos, 0, freq, a, out, n); });
            System.out.printf("rope_%s     rows=%2d [32,128]: generated %8.1f ns  scalar twin %9.1f ns (%.1fx)%n", style, rows, gen, scalar, scalar / gen);
        }
    }

    static void report(String what, int rows, double gen, double hand, double scalar) {
        System.out.printf("%-13s rows=%2d n=%d: generated %8.1f ns  hand-written %8.1f ns  (gen/hand %.2f)  scalar twin %9.1f ns (%.1fx)%n",
                what, rows, N, gen, hand, gen / hand, scalar, scalar / gen);
    }

    /** Best of 10 rounds of ~100 ms each, after a 3 s warm-up (C2 needs time on a loaded machine); ns per call. */
    static double time(int rows, Body b) throws Throwable {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) b.run(rows);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            int reps = 0;
            long t0 = System.nanoTime(), t1;
            do {
                for (int i = 0; i < 100; i++) b.run(rows);
                reps += 100;
                t1 = System.nanoTime();
            } while (t1 - t0 < 100_000_000L);
            best = Math.min(best, (t1 - t0) / (double) reps);
        }
        return best;
    }
}
