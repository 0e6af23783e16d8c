package dev.ingot.codegen.jvm;

import dev.ingot.compiler.loop.Expr;
import dev.ingot.compiler.loop.Index;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.loop.Stmt;
import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.api.Test;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ingot.codegen.jvm.TestArena.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/** Method splitting, library calls, selects and the shape of the generated class. */
class CodegenStructureTest {

    /** A kernel with many independent row passes: too big for one method under a small limit. */
    private static Kernel manyPasses(int passes) {
        List<Stmt> rows = new ArrayList<>();
        Index ti = Index.add(Index.mul(Index.v("t"), Index.v("n")), Index.v("i"));
        for (int p = 0; p < passes; p++) {
            rows.add(new Stmt.Reduce("s" + p, Stmt.Kind.SUM, "i", Index.of(0), Index.v("n"), true, List.of(),
                    Expr.mul(Expr.load("x", ti), Expr.c(p + 1))));
            rows.add(new Stmt.Loop("i", Index.of(0), Index.v("n"), true, List.of(new Stmt.Store("out", ti,
                    Expr.add(Expr.load("out", ti), Expr.mul(Expr.ref("s" + p), Expr.un(Expr.UOp.TANH, Expr.load("x", ti))))))));
        }
        return new Kernel("many_passes", List.of(new Param.Arena("x"), new Param.Arena("out"),
                new Param.Scalar("T", Param.Type.INT), new Param.Scalar("n", Param.Type.INT)),
                List.of(new Stmt.Loop("t", Index.of(0), Index.v("T"), false, rows)));
    }

    @Test
    void methodsAreSplitBelowTheLimitAndStillCorrect() {
        Kernel k = manyPasses(12);
        byte[] whole = JvmCodegen.generate(k);
        byte[] split = JvmCodegen.generate(k, 1000);
        assertThat(JvmCodegen.largestMethod(whole)).isGreaterThanOrEqualTo(1000);
        assertThat(JvmCodegen.largestMethod(split)).isLessThan(1000);
        ClassModel cm = ClassFile.of().parse(split);
        assertThat(cm.methods().stream().map(m -> m.methodName().stringValue())).contains("run", "scalar", "run$0");

        int t = 2, n = 37;
        Random rnd = Seeds.random("split");
        float[] x = Seeds.floats(rnd, t * n, 1f);
        float[] expected = new float[t * n];
        JvmCodegen.load(k, whole).invokeScalar(x, 0, expected, 0, t, n);
        for (CompiledKernel ck : List.of(JvmCodegen.load(k, split), JvmCodegen.load(k, whole))) {
            float[] v = new float[t * n], s = new float[t * n];
            ck.invoke(x, 0, v, 0, t, n);
            ck.invokeScalar(x, 0, s, 0, t, n);
            assertClose(expected, v, 1e-4, 1e-4, "many_passes vector, largest method " + JvmCodegen.largestMethod(ck.classBytes()));
            assertClose(expected, s, 0, 0, "many_passes scalar split");
        }
    }

    @Test
    void fusedKernelsFitInOneMethod() {
        assertThat(JvmCodegen.largestMethod(JvmCodegen.generate(FusedKernels.addRmsNorm()))).isLessThan(JvmCodegen.HUGE_METHOD_LIMIT);
    }

    /** Target of a library call test: adds {@code v} to {@code n} floats. */
    public static void addScalar(float[] a, int off, int n, float v) {
        for (int i = 0; i < n; i++) a[off + i] += v;
    }

    @Test
    void callsLibraryMethods() {
        Kernel k = new Kernel("call_lib", List.of(new Param.Arena("x"), new Param.Scalar("n", Param.Type.INT)),
                List.of(new Stmt.Call(CodegenStructureTest.class, "addScalar", List.of(
                        new Stmt.Arg.Buf("x", Index.of(1)), new Stmt.Arg.Int(Index.v("n")), new Stmt.Arg.Flt(Expr.c(2.5f))))));
        float[] a = {0, 1, 2, 3, 4};
        JvmCodegen.compile(k).invoke(a, 1, 3);
        assertThat(a).containsExactly(0, 1, 4.5f, 5.5f, 6.5f);
    }

    @Test
    void selectHandlesNaNLikeJava() {
        // relu-ish with NaN: (x > 0) ? x : 0.1 * x ; NaN > 0 is false in both paths
        Index i = Index.v("i");
        Expr x = Expr.load("x", i);
        Kernel k = new Kernel("leaky", List.of(new Param.Arena("x"), new Param.Arena("out"), new Param.Scalar("n", Param.Type.INT)),
                List.of(new Stmt.Loop("i", Index.of(0), Index.v("n"), true, List.of(new Stmt.Store("out", i,
                        new Expr.Select(Expr.Cmp.GT, x, Expr.c(0), x, Expr.mul(Expr.c(0.1f), x)))))));
        int n = 41;
        float[] in = Seeds.floats(Seeds.random("leaky"), n, 3f);
        in[3] = Float.NaN;
        in[n - 1] = Float.NaN;
        float[] expected = new float[n];
        for (int j = 0; j < n; j++) expected[j] = in[j] > 0 ? in[j] : 0.1f * in[j];
        CompiledKernel ck = JvmCodegen.compile(k);
        float[] v = new float[n], s = new float[n];
        ck.invoke(in, 0, v, 0, n);
        ck.invokeScalar(in, 0, s, 0, n);
        assertThat(v).containsExactly(expected);
        assertThat(s).containsExactly(expected);
    }

    @Test
    void iotaGivesLaneIndices() {
        Index i = Index.v("i");
        Kernel k = new Kernel("iota", List.of(new Param.Arena("out"), new Param.Scalar("n", Param.Type.INT)),
                List.of(new Stmt.Loop("i", Index.of(0), Index.v("n"), true,
                        List.of(new Stmt.Store("out", i, new Expr.ToFloat(Index.add(i, Index.of(7))))))));
        float[] out = new float[53];
        JvmCodegen.compile(k).invoke(out, 0, 53);
        for (int j = 0; j < 53; j++) assertThat(out[j]).isEqualTo(j + 7f);
    }
}
