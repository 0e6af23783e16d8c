package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.Npy;
import dev.ingot.onnx.TensorProtos;
import dev.ingot.onnx.proto.Onnx.GraphProto;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import dev.ingot.onnx.proto.Onnx.NodeProto;
import dev.ingot.onnx.proto.Onnx.OperatorSetIdProto;
import dev.ingot.onnx.proto.Onnx.TensorProto;
import dev.ingot.onnx.proto.Onnx.TensorShapeProto;
import dev.ingot.onnx.proto.Onnx.TypeProto;
import dev.ingot.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ingot compile model.onnx} and {@code ingot run-onnx} on a small model written by the test. */
class OnnxCommandsTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Result ingot(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** y = Relu(x + b), x [batch, 3] with a dim_param, b an initialiser; op {@code op} replaces Relu. */
    private Path model(String op) throws IOException {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3));
        ValueInfoProto x = ValueInfoProto.newBuilder().setName("x")
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(x)
                .addInitializer(TensorProtos.fromTensor(Tensor.f32(new float[] {1, -1, 0.5f}, 3), "b"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput("b").addOutput("s"))
                .addNode(NodeProto.newBuilder().setOpType(op).setName("act").addInput("s").addOutput("y"))
                .addOutput(ValueInfoProto.newBuilder().setName("y")).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
        Path p = dir.resolve(op + ".onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    @Test
    void runOnnxReadsNpyInputsAndWritesNpyOutputs() throws IOException {
        Path model = model("Relu");
        Npy.write(Tensor.f32(new float[] {0, 0, 0, -2, 3, 1}, 2, 3), dir.resolve("x.npy"));
        Result r = ingot("run-onnx", model.toString(), "--input", "x=" + dir.resolve("x.npy"), "--output-dir", dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("y: f32[2, 3]");
        Tensor y = Npy.read(dir.resolve("out/y.npy"));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(1f, 0f, 0.5f, 0f, 2f, 1.5f);
    }

    @Test
    void compilePrintsTheGraphIrWithSymbolicBatch() throws IOException {
        Result r = ingot("compile", model("Relu").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("input : f32[batch, 3]  # x").contains("relu(").contains("# y");
        // not an LLM graph: the program compiler declines and the general graph executor shows its plan
        assertThat(r.out()).containsAnyOf("graph executor plan for {batch=1}:", "program ");
        assertThat(r.out()).contains("memory plan:");
    }

    @Test
    void unsupportedOpIsOneClearError() throws IOException {
        Result r = ingot("compile", model("LSTM").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unsupported ONNX ops:").contains("LSTM (node act)");
    }
}
