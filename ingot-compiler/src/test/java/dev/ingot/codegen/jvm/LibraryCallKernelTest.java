package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * A generated kernel that calls the kernel library's linear (F32 and quantised Q8_0 weights) twice and
 * fuses SwiGLU behind it, against dequantise-then-dot in double. Tolerance: NMSE-style relative error of
 * the whole output, as quantised activations in the library's Q8_0 path differ from the float reference.
 */
class LibraryCallKernelTest {
    @ParameterizedTest
    @CsvSource({"F32,13,32", "F32,207,64", "Q8_0,13,64", "Q8_0,33,256"})
    void linearSwiglu(DType dtype, int n, int k) {
        int t = 3;
        String seedName = "linearSwiglu" + dtype + n;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, t * k, 1f), wgF = Seeds.floats(rnd, n * k, 0.5f), wuF = Seeds.floats(rnd, n * k, 0.5f);
        MemorySegment wg = weights(dtype, wgF, n, k), wu = weights(dtype, wuF, n, k);
        // reference on what the weights really hold after quantisation
        float[] wgD = Dequant.all(dtype, wg, 0, n * k), wuD = Dequant.all(dtype, wu, 0, n * k);
        float[] expected = new float[t * n];
        for (int r = 0; r < t; r++) {
            for (int j = 0; j < n; j++) {
                double g = 0, u = 0;
                for (int c = 0; c < k; c++) {
                    g += (double) x[r * k + c] * wgD[j * k + c];
                    u += (double) x[r * k + c] * wuD[j * k + c];
                }
                expected[r * n + j] = (float) (g / (1 + Math.exp(-g)) * u);
            }
        }
        CompiledKernel ck = JvmCodegen.compile(FusedKernels.linearSwiglu(dtype));
        for (boolean vector : new boolean[]{true, false}) {
            TestArena a = new TestArena();
            int xo = a.add(x), go = a.add(new float[t * n]), uo = a.add(new float[t * n]), oo = a.add(new float[t * n]);
            a.build();
            Object[] args = {a.data, xo, wg, wu, a.data, go, a.data, uo, a.data, oo, t, n, k};
            if (vector) ck.invoke(args); else ck.invokeScalar(args);
            float[] got = a.read(oo, t * n);
            double err = 0, ref = 0;
            for (int i = 0; i < got.length; i++) {
                err += (got[i] - expected[i]) * (double) (got[i] - expected[i]);
                ref += expected[i] * (double) expected[i];
            }
            double nmse = err / Math.max(ref, 1e-30);
            // F32: float accumulation only; Q8_0: the library quantises x to 8 bits per block too
            double limit = dtype == DType.F32 ? 1e-10 : 1e-3;
            if (!(nmse <= limit)) {
                throw new AssertionError(ck.kernel().name() + (vector ? " vector" : " scalar") + " [" + t + "," + n + "," + k
                        + "] seed=" + Seeds.seed(seedName) + ": NMSE " + nmse + " > " + limit);
            }
            a.assertGapsUntouched();
        }
    }

    private static MemorySegment weights(DType dtype, float[] w, int n, int k) {
        if (dtype == DType.F32) return TestArena.segment(w);
        byte[] q = Quantize.all(dtype, w);   // rows of k are whole blocks, so the row-major stream is the matrix
        MemorySegment s = java.lang.foreign.Arena.ofAuto().allocate(q.length, 64);
        s.copyFrom(MemorySegment.ofArray(q));
        return s;
    }
}
