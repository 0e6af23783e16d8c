package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Node;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each pass on a small graph: what it removes, and that the graph still computes the same outputs. */
class PassPipelineTest {
    private static long count(Graph g, String mnemonic) {
        return g.nodes().stream().filter(n -> n.op().mnemonic().equals(mnemonic)).count();
    }

    @Test
    void cseMergesRepeatedComputation() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 8);
        Value a = b.silu(x, null), a2 = b.silu(x, null);
        Graph g = b.output(b.add(a, a2, "y")).build();
        Graph after = new CommonSubexpressions().run(g);
        assertThat(count(after, "silu")).isEqualTo(1);
        assertSameOutputs(g, after);
    }

    @Test
    void dceRemovesUnusedNodesButKeepsInputs() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 8);
        b.input("unused", DType.F32, "T", 8);
        b.unary(dev.ingot.ir.ElementwiseOp.UnaryKind.EXP, x, null);
        Graph g = b.output(b.silu(x, "y")).build();
        Graph after = new DeadCodeElimination().run(g);
        assertThat(count(after, "exp")).isZero();
        assertThat(after.inputs()).extracting(Value::name).containsExactly("x", "unused");
    }

    @Test
    void foldsShapeArithmetic() {
        // ONNX style: reshape target computed from shape_of(w) at run time
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 4, 6);
        Value w = b.constant(new float[24], Shape.of(4, 6), "w");
        Value shape = b.shapeOf(w, null);
        Value prod = b.binary(dev.ingot.ir.ElementwiseOp.BinaryKind.MUL, shape,
                b.constant(new long[]{1, 1}, DType.I64, Shape.of(2), null), "shape2");
        Value same = b.reshape(x, Shape.of("T", 4, 6), null);
        Graph g = b.output(b.silu(same, "y"), prod).build();
        Graph after = new ConstantFolding().run(g);
        assertThat(count(after, "shape_of")).isZero();
        assertThat(count(after, "mul")).isZero();
        assertThat(count(after, "reshape")).isZero();
        Node folded = after.producer(after.outputs().get(1));
        assertThat(folded.op()).isInstanceOf(SourceOp.Constant.class);
        assertThat(Interpreter.run(after, Map.of("x", Tensor.f32(new float[48], 2, 4, 6))).output(1).longs()).containsExactly(4, 6);
    }

    @Test
    void standardPipelineRunsInOrderAndPreservesResults() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 8);
        Value two = b.scalar(2f, null);
        Value four = b.mul(two, two, null);                 // folds
        Value y1 = b.mul(x, four, null), y2 = b.mul(x, four, null);   // CSE after folding
        b.unary(dev.ingot.ir.ElementwiseOp.UnaryKind.EXP, y1, null);                                          // dead
        Graph g = b.output(b.add(y1, y2, "y")).build();
        PassPipeline.Result r = PassPipeline.standard().run(g);
        assertThat(r.steps()).extracting(PassPipeline.Step::pass).containsExactly("fold-constants", "cse", "dce");
        assertThat(count(r.graph(), "mul")).isEqualTo(1);
        assertThat(count(r.graph(), "exp")).isZero();
        assertSameOutputs(g, r.graph());
    }

    private static void assertSameOutputs(Graph a, Graph b) {
        int t = 3;
        Tensor x = Tensor.f32(Seeds.floats(Seeds.random("passes"), t * 8, 2f), t, 8);
        List<Tensor> ea = Interpreter.run(a, Map.of("x", x, "unused", x)).outputs();
        List<Tensor> eb = Interpreter.run(b, Map.of("x", x, "unused", x)).outputs();
        for (int i = 0; i < ea.size(); i++) assertThat(eb.get(i).floats()).containsExactly(ea.get(i).floats());
    }
}
