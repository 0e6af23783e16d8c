package dev.ingot.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Printer;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import dev.ingot.onnx.proto.Onnx.StringStringEntryProto;
import dev.ingot.onnx.proto.Onnx.TensorProto;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {

    /** x [batch, seq, 4] -> Reshape(x, [batch*seq, 4]) via Shape/Gather/Mul/Unsqueeze/Concat, then MatMul by W [4, 3]. */
    private static ModelProto flattenMatMul() {
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.5f - 2;
        return new Models(13)
                .input("x", DType.F32, "batch", "seq", 4)
                .initializer("W", Tensor.f32(w, 4, 3))
                .initializer("i0", Tensor.i64(new long[] {0}))
                .initializer("i1", Tensor.i64(new long[] {1}))
                .initializer("ax0", Tensor.i64(new long[] {0}, 1))
                .initializer("four", Tensor.i64(new long[] {4}, 1))
                .node("Shape", List.of("x"), List.of("s"))
                .node("Gather", List.of("s", "i0"), List.of("b"))
                .node("Gather", List.of("s", "i1"), List.of("t"))
                .node("Mul", List.of("b", "t"), List.of("bt"))
                .node("Unsqueeze", List.of("bt", "ax0"), List.of("bt1"))
                .node("Concat", List.of("bt1", "four"), List.of("shape"), Models.integer("axis", 0))
                .node("Reshape", List.of("x", "shape"), List.of("flat"))
                .node("MatMul", List.of("flat", "W"), List.of("y"))
                .output("y")
                .build();
    }

    @Test
    void shapeSubgraphOverSymbolsResolvesToSymbolicIrShapes() {
        Graph g = OnnxImporter.importModel(flattenMatMul(), Path.of("."));
        assertThat(g.value("x").shape()).isEqualTo(Shape.of("batch", "seq", 4));
        assertThat(g.value("flat").shape()).isEqualTo(Shape.of(Shape.of("batch").dim(0).times(Shape.of("seq").dim(0)), 4));
        // the shape arithmetic left no run-time ops behind
        assertThat(Printer.print(g)).doesNotContain("shape_of", "gather", "concat");
        // one graph, two bindings
        for (int[] bs : new int[][] {{2, 3}, {1, 5}}) {
            int rows = bs[0] * bs[1];
            float[] x = new float[rows * 4];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) - 3;
            Tensor y = Interpreter.run(g, Map.of("x", Tensor.f32(x, bs[0], bs[1], 4))).output(0);
            assertThat(y.shape()).containsExactly(rows, 3);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < 3; c++) {
                    double want = 0;
                    for (int k = 0; k < 4; k++) want += x[r * 4 + k] * ((k * 3 + c) * 0.5 - 2);
                    assertThat(y.getDouble(r * 3L + c)).as("y[%d,%d] for %s", r, c, List.of(bs[0], bs[1])).isEqualTo(want);
                }
            }
        }
    }

    /** Position ids as exporters write them: a buffer sliced to seq, and Range(0, seq, 1), seq from Shape(ids). */
    @Test
    void sliceAndRangeUpToASymbolicLength() {
        long[] buf = new long[16];
        for (int i = 0; i < 16; i++) buf[i] = 100 + i;
        ModelProto m = new Models(13).input("ids", DType.I64, "batch", "seq")
                .initializer("pos", Tensor.i64(buf, 1, 16))
                .initializer("one", Tensor.i64(new long[] {1}))
                .initializer("zero", Tensor.i64(new long[] {0}))
                .initializer("z1", Tensor.i64(new long[] {0}, 1))
                .initializer("ax1", Tensor.i64(new long[] {1}, 1))
                .node("Shape", List.of("ids"), List.of("s"))
                .node("Gather", List.of("s", "one"), List.of("seq"))
                .node("Unsqueeze", List.of("seq", "z1"), List.of("seq1"))
                .node("Slice", List.of("pos", "z1", "seq1", "ax1"), List.of("pos_ids"))
                .node("Range", List.of("zero", "seq", "one"), List.of("r"))
                .node("Equal", List.of("s", "ax1"), List.of("never")) // [batch, seq] == [1]: undecidable, but unused
                .output("pos_ids").output("r")
                .build();
        Graph g;
        try {
            g = OnnxImporter.importModel(m, Path.of("."));
        } catch (OnnxImportException e) {
            assertThat(e).hasMessageContaining("cannot decide");
            m = m.toBuilder().setGraph(m.getGraph().toBuilder().removeNode(5)).build();
            g = OnnxImporter.importModel(m, Path.of("."));
        }
        assertThat(g.value("pos_ids").shape()).isEqualTo(Shape.of(1, "seq"));
        Interpreter.Result r = Interpreter.run(g, Map.of("ids", Tensor.i64(new long[10], 2, 5)));
        assertThat(r.output(0).longs()).containsExactly(100, 101, 102, 103, 104);
        assertThat(r.output(1).longs()).containsExactly(0, 1, 2, 3, 4);
    }

    /**
     * The Expand pattern of Hugging Face exports: shape = Where(Equal(target, -1 * ConstantOfShape(Shape(target))),
     * ones, target) with target = [batch, 1, 1, seq] from Shape arithmetic; it must resolve to a symbolic Expand.
     */
    @Test
    void exportersExpandPatternOverSymbolicDims() {
        ModelProto m = new Models(13).input("mask", DType.F32, "batch", "seq")
                .initializer("a1", Tensor.i64(new long[] {1, 2}, 2))
                .initializer("i0", Tensor.i64(new long[] {0}, 1))
                .initializer("i1", Tensor.i64(new long[] {1}, 1))
                .initializer("ones", Tensor.i64(new long[] {1, 1}, 2))
                .initializer("minus1", Tensor.i64(new long[] {-1}))
                .initializer("onesAll", Tensor.i64(new long[] {1, 1, 1, 1}, 4))
                .node("Unsqueeze", List.of("mask", "a1"), List.of("m4")) // [batch, 1, 1, seq]
                .node("Shape", List.of("mask"), List.of("s"))
                .node("Gather", List.of("s", "i0"), List.of("b"))
                .node("Gather", List.of("s", "i1"), List.of("t"))
                .node("Concat", List.of("b", "ones", "t"), List.of("target"), Models.integer("axis", 0))
                .node("Shape", List.of("target"), List.of("len"))
                .node("ConstantOfShape", List.of("len"), List.of("c1"))
                .node("Mul", List.of("c1", "minus1"), List.of("neg"))
                .node("Equal", List.of("target", "neg"), List.of("eq"))
                .node("Where", List.of("eq", "onesAll", "target"), List.of("shape"))
                .node("Expand", List.of("m4", "shape"), List.of("y"))
                .output("y").build();
        // ConstantOfShape's default value is float 0: give it an int64 value so Mul's dtypes agree
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(6, m.getGraph().getNode(6).toBuilder()
                .addAttribute(dev.ingot.onnx.proto.Onnx.AttributeProto.newBuilder().setName("value")
                        .setType(dev.ingot.onnx.proto.Onnx.AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProtos.fromTensor(Tensor.i64(new long[] {1}, 1), "v"))))).build();
        Graph g = OnnxImporter.importModel(m, Path.of("."));
        assertThat(g.value("y").shape()).isEqualTo(Shape.of("batch", 1, 1, "seq"));
        Tensor y = Interpreter.run(g, Map.of("mask", Tensor.f32(new float[] {1, 1, 0, 1, 0, 0}, 2, 3))).output(0);
        assertThat(y.shape()).containsExactly(2, 1, 1, 3);
        assertThat(y.floats()).containsExactly(1, 1, 0, 1, 0, 0);
    }

    @Test
    void unsupportedOpsAreListedWithTheirNodesInOneError() {
        ModelProto m = new Models(13).input("x", DType.F32, 1, 3, 8, 8)
                .node("LSTM", List.of("x", "x"), List.of("c1"))
                .node("Relu", List.of("c1"), List.of("r"))
                .node("LSTM", List.of("r", "x"), List.of("c2"))
                .node("FancyOp", List.of("c2"), List.of("y"))
                .output("y").build();
        assertThatThrownBy(() -> OnnxImporter.importModel(m, Path.of(".")))
                .isInstanceOf(OnnxImportException.class)
                .hasMessageContaining("LSTM (nodes c1_node, c2_node)")
                .hasMessageContaining("FancyOp (node y_node)")
                .hasMessageNotContaining("Relu");
    }

    @Test
    void axesMoveFromAttributeToInputAtOpset13() {
        Tensor x = Tensor.f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        ModelProto old = new Models(11).input("x", DType.F32, 2, 3)
                .node("ReduceSum", List.of("x"), List.of("s"), Models.ints("axes", 1), Models.integer("keepdims", 0))
                .node("Unsqueeze", List.of("s"), List.of("y"), Models.ints("axes", 0))
                .output("y").build();
        ModelProto now = new Models(13).input("x", DType.F32, 2, 3)
                .initializer("a1", Tensor.i64(new long[] {1}, 1))
                .initializer("a0", Tensor.i64(new long[] {0}, 1))
                .node("ReduceSum", List.of("x", "a1"), List.of("s"), Models.integer("keepdims", 0))
                .node("Unsqueeze", List.of("s", "a0"), List.of("y"))
                .output("y").build();
        for (ModelProto m : List.of(old, now)) {
            Tensor y = Interpreter.run(OnnxImporter.importModel(m, Path.of(".")), Map.of("x", x)).output(0);
            assertThat(y.shape()).containsExactly(1, 2);
            assertThat(y.floats()).containsExactly(6f, 15f);
        }
    }

    @Test
    void constantSubgraphsAreFoldedAtImport() {
        ModelProto m = new Models(13).input("x", DType.F32, 3)
                .initializer("a", Tensor.f32(new float[] {1, 2, 3}, 3))
                .node("Exp", List.of("a"), List.of("ea"))
                .node("Neg", List.of("ea"), List.of("nea"))
                .node("Add", List.of("x", "nea"), List.of("y"))
                .output("y").build();
        Graph g = OnnxImporter.importModel(m, Path.of("."));
        assertThat(g.nodes()).hasSize(3); // input, folded constant, add
        Tensor y = Interpreter.run(g, Map.of("x", Tensor.f32(new float[] {0, 0, 0}, 3))).output(0);
        assertThat(y.floats()).containsExactly((float) -Math.exp(1), (float) -Math.exp(2), (float) -Math.exp(3));
    }

    @Test
    void externalInitialiserDataIsReadRelativeToTheModel(@TempDir Path dir) throws IOException {
        byte[] raw = new byte[8 + 12];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).position(8).putFloat(1.5f).putFloat(-2f).putFloat(4f);
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/w.bin"), raw);
        Models b = new Models(13).input("x", DType.F32, 3)
                .node("Mul", List.of("x", "w"), List.of("y")).output("y");
        b.graph().addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("data/w.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("8"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("12")));
        Files.write(dir.resolve("model.onnx"), b.build().toByteArray());
        Graph g = OnnxImporter.importFile(dir.resolve("model.onnx"));
        Tensor y = Interpreter.run(g, Map.of("x", Tensor.f32(new float[] {2, 2, 2}, 3))).output(0);
        assertThat(y.floats()).containsExactly(3f, -4f, 8f);
    }

    @Test
    void unknownDtypeIsAClearError() {
        ModelProto m = new Models(13).input("x", DType.F32, 3).output("x").build();
        ModelProto bad = m.toBuilder().setGraph(m.getGraph().toBuilder().setInput(0,
                m.getGraph().getInput(0).toBuilder().setType(m.getGraph().getInput(0).getType().toBuilder()
                        .setTensorType(m.getGraph().getInput(0).getType().getTensorType().toBuilder().setElemType(TensorProto.DataType.STRING_VALUE))))).build();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, Path.of("."))).isInstanceOf(OnnxImportException.class).hasMessageContaining("dtype string");
    }
}
