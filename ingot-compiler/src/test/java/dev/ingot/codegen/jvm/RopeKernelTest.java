package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Rewrites;
import dev.ingot.compiler.loop.fused.Rope;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;

import static dev.ingot.codegen.jvm.TestArena.assertClose;
import static dev.ingot.codegen.jvm.TestArena.segment;

/** RoPE NORM and NEOX, computed and table cos/sin, with and without llama3 factors, against a reference. */
class RopeKernelTest {
    static final int T = 5;

    @ParameterizedTest
    @CsvSource({"NEOX,2,false", "NEOX,26,true", "NEOX,128,true", "NORM,2,false", "NORM,26,true", "NORM,128,false", "NEOX,414,false"})
    void rope(Rope.Style style, int headDim, boolean llama3) {
        int heads = 3, maxPos = 5000;
        String seedName = "rope" + style + headDim + llama3;
        Random rnd = Seeds.random(seedName);
        float[] x = Seeds.floats(rnd, T * heads * headDim, 2f);
        int[] pos = new int[T];
        for (int t = 0; t < T; t++) pos[t] = rnd.nextInt(maxPos);
        float[] freq = Rope.invFreq(headDim, 500000, llama3 ? new Rope.Llama3(8, 1, 4, 8192) : null);
        int half = headDim / 2;
        float[] cos = new float[maxPos * half], sin = new float[maxPos * half];
        for (int p = 0; p < maxPos; p++) {
            for (int j = 0; j < half; j++) {
                float theta = p * freq[j];
                cos[p * half + j] = (float) Math.cos(theta);
                sin[p * half + j] = (float) Math.sin(theta);
            }
        }
        float[] expected = new float[x.length];
        for (int t = 0; t < T; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int j = 0; j < half; j++) {
                    int ia = style == Rope.Style.NEOX ? base + j : base + 2 * j, ib = style == Rope.Style.NEOX ? ia + half : ia + 1;
                    double c = cos[pos[t] * half + j], s = sin[pos[t] * half + j];
                    expected[ia] = (float) (x[ia] * c - x[ib] * s);
                    expected[ib] = (float) (x[ia] * s + x[ib] * c);
                }
            }
        }
        MemorySegment fs = segment(freq), cs = segment(cos), ss = segment(sin);
        int[] posArr = new int[T + 2];
        System.arraycopy(pos, 0, posArr, 2, T);
        for (boolean table : new boolean[]{false, true}) {
            Kernel k = table ? Rope.table(style) : Rope.computed(style);
            for (Kernel variant : new Kernel[]{k, Rewrites.bind(k, Map.of("D", headDim, "H", heads))}) {
                CompiledKernel ck = JvmCodegen.compile(variant);
                boolean bound = variant != k;
                for (boolean vec : new boolean[]{true, false}) {
                    for (boolean inPlace : new boolean[]{false, true}) {
                        TestArena a = new TestArena();
                        int xo = a.add(x), oo = inPlace ? xo : a.add(new float[x.length]);
                        a.build();
                        Object[] args = table
                                ? new Object[]{a.data, xo, posArr, 2, cs, ss, a.data, oo, T, heads, headDim}
                                : new Object[]{a.data, xo, posArr, 2, fs, a.data, oo, T, heads, headDim};
                        if (bound) args = java.util.Arrays.copyOf(args, args.length - 2);
                        if (vec) ck.invoke(args); else ck.invokeScalar(args);
                        String what = variant.name() + (vec ? " vector" : " scalar") + (bound ? " bound" : "") + (inPlace ? " in-place" : "")
                                + " f32 [" + T + "," + heads + "," + headDim + "] seed=" + Seeds.seed(seedName);
                        // |x| <= 2; cos/sin within an ulp of the same float theta
                        assertClose(expected, a.read(oo, x.length), 2e-6, 1e-5, what);
                        a.assertGapsUntouched();
                    }
                }
            }
        }
    }
}
