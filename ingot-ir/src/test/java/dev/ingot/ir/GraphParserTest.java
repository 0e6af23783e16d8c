package dev.ingot.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphParserTest {
    private static MemorySegment zeros(String name) { return MemorySegment.ofArray(new byte[1 << 16]); }

    @Test
    void printedGraphsRoundTrip() {
        String text = Printer.print(PrinterTest.tinyBlock());
        assertThat(Printer.print(GraphParser.parse(text, GraphParserTest::zeros))).isEqualTo(text);
    }

    @Test
    void everyOpFamilyRoundTrips() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "batch", "seq", 8);
        Value m = b.input("mask", DType.BOOL, "batch", 1, 1, "seq");
        Value q = b.reshape(x, Shape.of("batch", "seq", 2, 4), null);
        Value qt = b.transpose(q, List.of(0, 2, 1, 3), "qt");
        Value att = b.attention(qt, qt, qt, m, 0.5f, true, "att");
        Value s = b.slice(att, List.of(1L), List.of(ShapeOp.Slice.END), List.of(-1), List.of(1L), null);
        Value r = b.reduce(ReduceOp.ReduceKind.MEAN, s, List.of(1, 3), true, "mean");
        Value c = b.cast(b.binary(ElementwiseOp.BinaryKind.GT, r, b.scalar(0f, "zero"), null), DType.F16, null);
        Value g = b.gather(x, b.iota(TensorType.of(DType.I64, 3), 0, "idx"), 2, null);
        Value u = b.squeeze(b.unsqueeze(g, List.of(0), null), List.of(0), null);
        Value e = b.expand(b.layerNorm(u, b.input("w", DType.F32, 3), null, 1e-12f, null), Shape.of(2, "batch", "seq", 3), null);
        Value mm = b.matmul(e, b.transpose(e, List.of(0, 1, 3, 2), null), null);
        Value keep = b.input("keep", DType.BOOL, "batch", "seq", 1);
        Value sm = b.softmax(b.where(b.unary(ElementwiseOp.UnaryKind.NOT, keep, null), b.concat(List.of(x, x), 2, null),
                b.constant(new float[] {1.5f}, Shape.of(1, 1, 1), null), null), -1, null);
        Value am = b.argMax(sm, 0, false, "am");
        Graph graph = b.output(c, mm, am, b.shapeOf(b.gelu(s, false, null), null)).build();
        String text = Printer.print(graph);
        assertThat(Printer.print(GraphParser.parse(text, GraphParserTest::zeros))).isEqualTo(text);
    }

    @Test
    void handWrittenGraphParsesAndReportsErrorsByLine() {
        String ok = """
                graph {
                  %0 = input : f32[T, 4]  # x
                  @w = weight : f32[4]
                  %2 = rms_norm(%0, @w) {eps=1e-06} : f32[T, 4]  # h
                  return %2
                }
                """;
        Graph g = GraphParser.parse(ok, GraphParserTest::zeros);
        assertThat(g.value("h").definingOp()).isEqualTo(new LlmOp.RmsNorm(1e-6f));
        assertThatThrownBy(() -> GraphParser.parse(ok.replace("f32[T, 4]  # h", "f32[T, 5]  # h"), GraphParserTest::zeros))
                .hasMessageContaining("line 4").hasMessageContaining("infers f32[T, 4]");
        assertThatThrownBy(() -> GraphParser.parse(ok.replace("rms_norm(%0", "rms_norm(%9"), GraphParserTest::zeros))
                .hasMessageContaining("undefined value %9");
        assertThatThrownBy(() -> GraphParser.parse(ok.replace("rms_norm", "rms_nrom"), GraphParserTest::zeros))
                .hasMessageContaining("unknown op 'rms_nrom'");
    }

    @Test
    void dimsParseTheirPrintedForm() {
        for (Dim d : List.of(Dim.sym("T").times(32), Dim.sym("B").times(Dim.sym("S")).plus(1), Dim.sym("T").minus(3),
                Dim.sym("T").times(6).div(4), Dim.sym("batch size"), Dim.of(-4), Dim.sym("T").plus(1).div(Dim.sym("S")))) {
            assertThat(Dim.parse(d.toString())).as(d.toString()).isEqualTo(d);
        }
        assertThat(Shape.parse("[T, 32*64]")).isEqualTo(Shape.of("T", 2048));
        assertThat(Shape.parse("[]")).isEqualTo(Shape.SCALAR);
        assertThatThrownBy(() -> Dim.parse("T +")).hasMessageContaining("column");
    }
}
