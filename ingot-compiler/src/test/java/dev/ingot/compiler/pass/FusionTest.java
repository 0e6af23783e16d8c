package dev.ingot.compiler.pass;

import dev.ingot.compiler.loop.Printer;
import dev.ingot.compiler.loop.Stmt;
import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Fused groups lowered to loop IR and generated code, against the reference interpreter on the same graph. */
class FusionTest {
    static MemorySegment seg(float[] a) {
        MemorySegment s = Arena.ofAuto().allocate(4L * a.length, 64);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, a.length);
        return s;
    }

    /**
     * A transformer-block-shaped graph over x, r [T, n]: residual add + RMSNorm, a linear (unfused) to
     * [T, 16] with a SwiGLU-ish tail, a gated chain back at [T, n], a second residual, softmax, GELU.
     */
    static Graph block(int n, Random rnd) {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", n), r = b.input("r", DType.F32, "T", n);
        Value w = b.weight("norm.weight", DType.F32, Shape.of(n), seg(Seeds.floats(rnd, n, 1f)));
        Value bias = b.weight("bias", DType.F32, Shape.of(n), seg(Seeds.floats(rnd, n, 0.5f)));
        Value proj = b.weight("proj.weight", DType.F32, Shape.of(16, n), seg(Seeds.floats(rnd, 16 * n, 0.2f)));
        Value h = b.add(x, r, "h");
        Value norm = b.rmsNorm(h, w, 1e-5f, "attn_norm");
        Value k = b.linear(norm, proj, "k");                      // unfused: a library kernel
        Value kAct = b.mul(b.silu(k, null), b.scalar(0.5f, null), "k_act");
        Value gate = b.mul(norm, bias, "gate");
        Value up = b.add(norm, bias, "up");
        Value ffn = b.mul(b.silu(gate, null), up, "ffn");
        Value res2 = b.add(ffn, h, "res2");
        Value probs = b.softmax(b.mul(res2, b.scalar(3f, null), null), -1, "probs");
        Value gelu = b.gelu(b.sub(x, b.unary(dev.ingot.ir.ElementwiseOp.UnaryKind.TANH, r, null), null), false, "gelu");
        Value geluTanh = b.gelu(h, true, "gelu_tanh");
        return b.output(res2, probs, gelu, kAct, h, geluTanh).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 207, 4098})
    void fusedGroupsMatchInterpreter(int n) {
        String seedName = "fusion" + n;
        Random rnd = Seeds.random(seedName);
        Graph g = PassPipeline.standard().run(block(n, rnd)).graph();
        FusionPlan plan = ElementwiseFusion.plan(g);
        int t = 3;
        Map<String, Tensor> in = new HashMap<>();
        in.put("x", Tensor.f32(Seeds.floats(rnd, t * n, 2f), t, n));
        in.put("r", Tensor.f32(Seeds.floats(rnd, t * n, 2f), t, n));
        List<Tensor> expected = Interpreter.run(g, in).outputs();
        for (boolean vector : new boolean[]{true, false}) {
            List<float[]> got = PlanRunner.run(plan, in, Map.of("T", (long) t), vector);
            for (int o = 0; o < expected.size(); o++) {
                float[] e = expected.get(o).floats(), a = got.get(o);
                String what = "output " + g.outputs().get(o).label() + (vector ? " vector" : " scalar") + " f32 [" + t + "," + n + "] seed=" + Seeds.seed(seedName);
                for (int i = 0; i < e.length; i++) {
                    // interpreter computes in double; float kernels with reductions over n: rtol grows ~ sqrt(n)
                    double tol = 2e-5 + 2e-5 * Math.sqrt(n) * Math.abs(e[i]);
                    if (!(Math.abs(e[i] - a[i]) <= tol)) throw new AssertionError(what + ": element " + i + " expected " + e[i] + " got " + a[i]);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void planGroupsTheBlockAsExpected() {
        Graph g = PassPipeline.standard().run(block(64, Seeds.random("plan"))).graph();
        FusionPlan plan = ElementwiseFusion.plan(g);
        List<KernelGroup> groups = plan.groups();
        // group 0: h, attn_norm (closed by the linear); group 1 after the linear: k_act chain ([T,16]);
        // the [T,64] tail continues in a new group because group 0 was closed by the linear reading attn_norm
        assertThat(plan.steps().stream().filter(s -> !(s instanceof KernelGroup)).count()).isEqualTo(1);   // the linear
        assertThat(groups.getFirst().nodes().stream().map(nd -> nd.op().mnemonic())).containsExactly("add", "rms_norm");
        GroupKernel first = GroupLowering.lower(groups.getFirst());
        String ir = Printer.print(first.kernel());
        // the residual add is stored inside the sum-of-squares pass: one reduce with a store in its body
        Stmt.Loop rowLoop = (Stmt.Loop) first.kernel().body().getFirst();
        assertThat(rowLoop.body().getFirst()).isInstanceOf(Stmt.Reduce.class);
        assertThat(((Stmt.Reduce) rowLoop.body().getFirst()).body()).hasSize(2);
        assertThat(ir).contains("sumsq").contains("d_T");
        System.out.println(plan);
        System.out.println(ir);
    }

    /**
     * Every fusible unary and binary kind, a per-row operand [T, 1] (ROW form), a constant vector [n] held in
     * the graph (a heap segment) and a [1, n] weight, in one group, against the interpreter.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 13, 207})
    void allElementwiseKindsAndBroadcastForms(int n) {
        String seedName = "kinds" + n;
        Random rnd = Seeds.random(seedName);
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", n), s = b.input("s", DType.F32, "T", 1);
        Value c = b.constant(Seeds.floats(rnd, n, 1f), Shape.of(n), "c");
        Value w = b.weight("w", DType.F32, Shape.of(1, n), seg(Seeds.floats(rnd, n, 1f)));
        Value y = b.add(b.mul(x, s, null), c, null);
        List<Value> outs = new java.util.ArrayList<>();
        for (dev.ingot.ir.ElementwiseOp.UnaryKind k : ElementwiseFusion.UNARY) {
            Value arg = switch (k) {
                case SQRT, RSQRT -> b.add(b.unary(dev.ingot.ir.ElementwiseOp.UnaryKind.ABS, y, null), b.scalar(0.5f, null), null);
                case RECIPROCAL -> b.add(b.unary(dev.ingot.ir.ElementwiseOp.UnaryKind.ABS, y, null), b.scalar(0.25f, null), null);
                default -> y;
            };
            outs.add(b.unary(k, arg, "u_" + k.name().toLowerCase(java.util.Locale.ROOT)));
        }
        for (dev.ingot.ir.ElementwiseOp.BinaryKind k : ElementwiseFusion.BINARY) {
            Value rhs = k == dev.ingot.ir.ElementwiseOp.BinaryKind.DIV ? b.add(b.mul(w, w, null), b.scalar(0.5f, null), null) : w;
            outs.add(b.binary(k, y, rhs, "b_" + k.name().toLowerCase(java.util.Locale.ROOT)));
        }
        Graph g = b.output(outs.toArray(Value[]::new)).build();
        FusionPlan plan = ElementwiseFusion.plan(g);
        // one row group computes every output (w*w+0.5 on the [1, n] weight is a group of its own)
        assertThat(plan.groups()).anyMatch(gr -> gr.outputs().containsAll(g.outputs()));
        int t = 3;
        Map<String, Tensor> in = new HashMap<>();
        in.put("x", Tensor.f32(Seeds.floats(rnd, t * n, 2f), t, n));
        in.put("s", Tensor.f32(Seeds.floats(rnd, t, 2f), t, 1));
        List<Tensor> expected = Interpreter.run(g, in).outputs();
        for (boolean vector : new boolean[]{true, false}) {
            List<float[]> got = PlanRunner.run(plan, in, Map.of("T", (long) t), vector);
            for (int o = 0; o < expected.size(); o++) {
                float[] e = expected.get(o).floats(), a = got.get(o);
                for (int i = 0; i < e.length; i++) {
                    // elementwise in float vs double: a few ulps (exp/tanh/erf approximations within 2e-6 relative)
                    double tol = 1e-6 + 4e-6 * Math.abs(e[i]);
                    if (!(Math.abs(e[i] - a[i]) <= tol)) {
                        throw new AssertionError(g.outputs().get(o).label() + (vector ? " vector" : " scalar") + " f32 [" + t + "," + n
                                + "] seed=" + Seeds.seed(seedName) + ": element " + i + " expected " + e[i] + " got " + a[i]);
                    }
                }
            }
        }
    }
}
