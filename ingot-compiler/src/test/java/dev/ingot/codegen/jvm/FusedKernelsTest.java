package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Rewrites;
import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;

import static dev.ingot.codegen.jvm.TestArena.assertClose;
import static dev.ingot.codegen.jvm.TestArena.segment;

/**
 * Each fused row kernel, vector entry and scalar twin, against a plain Java reference on odd row
 * lengths (not multiples of any vector width), T = 3 rows, in a shared arena at odd offsets.
 * Also runs each kernel with n bound to a constant (the specialised form). 120 is added for the reductions:
 * it leaves whole vectors after the 4x-unrolled reduce loop (for 8 and 16 lanes), exercising the 1-vector loop.
 */
class FusedKernelsTest {
    static final int T = 3;

    /** Runs {@code k} both ways (and bound to n) and returns the three outputs of {@code outOff..+len}. */
    interface Runner {
        void run(CompiledKernel k, boolean vector, boolean bound);
    }

    private static void both(Kernel k, int n, Runner r) {
        CompiledKernel symbolic = JvmCodegen.compile(k);
        CompiledKernel bound = JvmCodegen.compile(Rewrites.bind(k, Map.of("n", n)));
        r.run(symbolic, true, false);
        r.run(symbolic, false, false);
        r.run(bound, true, true);
    }

    private static void call(CompiledKernel k, boolean vector, boolean bound, int n, Object[] head, Object... tail) {
        Object[] args = new Object[head.length + (bound ? 1 : 2) + tail.length];
        System.arraycopy(head, 0, args, 0, head.length);
        args[head.length] = T;
        if (!bound) args[head.length + 1] = n;
        System.arraycopy(tail, 0, args, head.length + (bound ? 1 : 2), tail.length);
        if (vector) k.invoke(args); else k.invokeScalar(args);
    }

    private static String what(String op, boolean vector, boolean bound, int n, String seedName) {
        return op + (vector ? " vector" : " scalar") + (bound ? " bound" : "") + " f32 [" + T + "," + n + "] seed=" + Seeds.seed(seedName);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 120, 207, 4098})
    void addRmsNorm(int n) {
        String seedName = "addRmsNorm" + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * n, 2f), r = Seeds.floats(rnd, T * n, 2f), w = Seeds.floats(rnd, n, 1f);
        float eps = 1e-5f;
        float[] h = new float[T * n], out = new float[T * n];
        for (int t = 0; t < T; t++) {
            double ss = 0;
            for (int i = 0; i < n; i++) {
                h[t * n + i] = x[t * n + i] + r[t * n + i];
                ss += (double) h[t * n + i] * h[t * n + i];
            }
            float inv = (float) (1 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) out[t * n + i] = h[t * n + i] * inv * w[i];
        }
        MemorySegment ws = segment(w);
        both(FusedKernels.addRmsNorm(), n, (k, vec, bound) -> {
            TestArena a = new TestArena();
            int xo = a.add(x), ro = a.add(r), ho = a.add(new float[T * n]), oo = a.add(new float[T * n]);
            a.build();
            call(k, vec, bound, n, new Object[]{a.data, xo, a.data, ro, ws, a.data, ho, a.data, oo}, eps);
            String what = what("add_rms_norm", vec, bound, n, seedName);
            assertClose(h, a.read(ho, T * n), 0, 0, what + " residual");
            // sum of n squares in float, different association: error grows ~ sqrt(n) ulps
            assertClose(out, a.read(oo, T * n), 1e-5, 1e-5 * Math.sqrt(n), what);
            a.assertGapsUntouched();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 120, 207, 4098})
    void rmsNorm(int n) {
        String seedName = "rmsNorm" + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * n, 3f), w = Seeds.floats(rnd, n, 1f), out = new float[T * n];
        float eps = 1e-6f;
        for (int t = 0; t < T; t++) {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[t * n + i] * x[t * n + i];
            float inv = (float) (1 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) out[t * n + i] = x[t * n + i] * inv * w[i];
        }
        MemorySegment ws = segment(w);
        both(FusedKernels.rmsNorm(), n, (k, vec, bound) -> {
            TestArena a = new TestArena();
            int xo = a.add(x), oo = a.add(new float[T * n]);
            a.build();
            call(k, vec, bound, n, new Object[]{a.data, xo, ws, a.data, oo}, eps);
            assertClose(out, a.read(oo, T * n), 1e-5, 1e-5 * Math.sqrt(n), what("rms_norm", vec, bound, n, seedName));
            a.assertGapsUntouched();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 207, 4098})
    void swiglu(int n) {
        String seedName = "swiglu" + n;
        Random rnd = Seeds.random(seedName);
        float[] g = Seeds.floats(rnd, T * n, 8f), u = Seeds.floats(rnd, T * n, 2f), out = new float[T * n];
        for (int i = 0; i < T * n; i++) out[i] = (float) (g[i] / (1 + Math.exp(-g[i])) * u[i]);
        both(FusedKernels.swiglu(), n, (k, vec, bound) -> {
            TestArena a = new TestArena();
            int go = a.add(g), uo = a.add(u), oo = a.add(new float[T * n]);
            a.build();
            call(k, vec, bound, n, new Object[]{a.data, go, a.data, uo, a.data, oo});
            // exp within 1 ulp (SVML) plus the divide: a few ulps
            assertClose(out, a.read(oo, T * n), 1e-6, 4e-6, what("swiglu", vec, bound, n, seedName));
            a.assertGapsUntouched();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 120, 207, 4098})
    void softmax(int n) {
        String seedName = "softmax" + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * n, 10f), out = new float[T * n];
        float scale = 0.7f;
        for (int t = 0; t < T; t++) {
            double m = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) m = Math.max(m, x[t * n + i] * scale);
            for (int i = 0; i < n; i++) sum += Math.exp(x[t * n + i] * scale - m);
            for (int i = 0; i < n; i++) out[t * n + i] = (float) (Math.exp(x[t * n + i] * scale - m) / sum);
        }
        both(FusedKernels.softmax(), n, (k, vec, bound) -> {
            TestArena a = new TestArena();
            int xo = a.add(x), oo = a.add(new float[T * n]);
            a.build();
            call(k, vec, bound, n, new Object[]{a.data, xo, a.data, oo}, scale);
            assertClose(out, a.read(oo, T * n), 1e-7, 1e-5 * Math.sqrt(n), what("softmax", vec, bound, n, seedName));
            a.assertGapsUntouched();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 207, 4098})
    void biasAdd(int n) {
        String seedName = "biasAdd" + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * n, 2f), b = Seeds.floats(rnd, n, 1f), out = new float[T * n];
        for (int t = 0; t < T; t++) for (int i = 0; i < n; i++) out[t * n + i] = x[t * n + i] + b[i];
        MemorySegment bs = segment(b);
        both(FusedKernels.biasAdd(), n, (k, vec, bound) -> {
            TestArena a = new TestArena();
            int xo = a.add(x), oo = a.add(new float[T * n]);
            a.build();
            call(k, vec, bound, n, new Object[]{a.data, xo, bs, a.data, oo});
            assertClose(out, a.read(oo, T * n), 0, 0, what("bias_add", vec, bound, n, seedName));
            a.assertGapsUntouched();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 207, 4098})
    void gelu(int n) {
        String seedName = "gelu" + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * n, 5f), tanhOut = new float[T * n], erfOut = new float[T * n];
        for (int i = 0; i < T * n; i++) {
            double v = x[i];
            tanhOut[i] = (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
            erfOut[i] = (float) (0.5 * v * (1 + Reference.erf(v / Math.sqrt(2))));
        }
        for (boolean useErf : new boolean[]{false, true}) {
            float[] expected = useErf ? erfOut : tanhOut;
            both(useErf ? FusedKernels.geluErf() : FusedKernels.geluTanh(), n, (k, vec, bound) -> {
                TestArena a = new TestArena();
                int xo = a.add(x), oo = a.add(new float[T * n]);
                a.build();
                call(k, vec, bound, n, new Object[]{a.data, xo, a.data, oo});
                // erf: A&S 7.1.26 is within 1.5e-7 absolute, scaled by |x|/2 <= 2.5
                assertClose(expected, a.read(oo, T * n), 1e-6, 1e-5, what(k.kernel().name(), vec, bound, n, seedName));
                a.assertGapsUntouched();
            });
        }
    }
}
