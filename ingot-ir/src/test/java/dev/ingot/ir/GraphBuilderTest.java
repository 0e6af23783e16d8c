package dev.ingot.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
    private static MemorySegment bytes(long n) { return MemorySegment.ofArray(new byte[(int) n]); }

    @Test
    void symbolicReshapeSplitsAndMergesHeads() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 32 * 64);
        Value h = b.reshape(x, Shape.of("T", 32, 64), "heads");
        assertThat(h.shape()).isEqualTo(Shape.of("T", 32, 64));
        Value back = b.reshape(h, Shape.of("T", -1), "merged");
        assertThat(back.shape()).isEqualTo(Shape.of("T", 2048));
        Value flat = b.reshape(h, Shape.of(-1), "flat");
        assertThat(flat.shape().dim(0)).isEqualTo(Dim.sym("T").times(2048));
        assertThatThrownBy(() -> b.reshape(x, Shape.of("T", 33, 64), "bad"))
                .hasMessageContaining("reshape").hasMessageContaining("element count differs").hasMessageContaining("'bad'");
    }

    @Test
    void llmOpsInferShapes() {
        GraphBuilder b = new GraphBuilder();
        Value ids = b.input("ids", DType.I32, "T");
        Value emb = b.weight("tok", DType.Q4_0, Shape.of(100, 64), bytes(100 * 36));
        Value x = b.embedding(emb, ids, "x");
        assertThat(x.type()).isEqualTo(TensorType.of(DType.F32, "T", 64));
        Value w = b.weight("wq", DType.Q8_0, Shape.of(128, 64), bytes(128 * 2 * 34));
        Value q = b.reshape(b.linear(x, w, "q"), Shape.of("T", 4, 32), "q3");
        Value qr = b.rope(q, b.input("pos", DType.I32, "T"), null, RopeMode.NEOX, 16, 1e6f, "q_rope");
        assertThat(qr.shape()).isEqualTo(Shape.of("T", 4, 32));
        Value kc = b.input("kc", DType.F32, 8, 16, 2, 32);
        Value att = b.pagedAttention(qr, kc, b.input("vc", DType.F32, 8, 16, 2, 32), b.input("bt", DType.I32, "S", "B"),
                b.input("lens", DType.I32, "S"), b.input("seq", DType.I32, "T"), b.value("pos"), "att");
        assertThat(att.shape()).isEqualTo(Shape.of("T", 4, 32));
        assertThat(((LlmOp.PagedAttention) att.definingOp()).scale()).isEqualTo((float) (1 / Math.sqrt(32)));
    }

    @Test
    void clearErrorsForBadArguments() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 64);
        Value w = b.weight("w", DType.F32, Shape.of(10, 32), bytes(10 * 32 * 4));
        assertThatThrownBy(() -> b.linear(x, w, "y")).hasMessageContaining("linear").hasMessageContaining("[10, 32]");
        assertThatThrownBy(() -> b.input("x", DType.F32, 1)).hasMessageContaining("duplicate value name 'x'");
        assertThatThrownBy(() -> b.weight("small", DType.F32, Shape.of(10), bytes(39))).hasMessageContaining("needs 40 bytes");
        assertThatThrownBy(() -> b.weight("q", DType.Q8_0, Shape.of(2, 33), bytes(1000))).hasMessageContaining("multiple of the block size");
        assertThatThrownBy(() -> b.rmsNorm(x, b.input("w2", DType.F32, 63), 1e-5f, null)).hasMessageContaining("last dim");
        Value q = b.input("q", DType.F32, "T", 6, 8);
        assertThatThrownBy(() -> b.pagedAttention(q, b.input("kc", DType.F32, 4, 4, 4, 8), b.value("kc"), b.input("bt", DType.I32, "S", "B"),
                b.input("l", DType.I32, "S"), b.input("s", DType.I32, "T"), b.input("p", DType.I32, "T"), null))
                .hasMessageContaining("multiple of KV heads");
        GraphBuilder other = new GraphBuilder();
        assertThatThrownBy(() -> other.silu(x, null)).hasMessageContaining("not a value of this builder");
    }

    @Test
    void verifierReportsEveryViolation() {
        TensorType f = TensorType.of(DType.F32, 4);
        Value a = new Value(0, "a", f, new SourceOp.Input(f));
        Value b = new Value(1, "b", f, new ElementwiseOp.Unary(ElementwiseOp.UnaryKind.EXP));
        Value c = new Value(2, "a", TensorType.of(DType.F32, 5), new ElementwiseOp.Unary(ElementwiseOp.UnaryKind.EXP));
        Value d = new Value(3, null, f, new SourceOp.Input(f));
        // b uses c before c is defined; c's name repeats a's; c's type disagrees with exp's inference
        Graph g = new Graph(List.of(new Node(a.definingOp(), List.of(), a), new Node(b.definingOp(), List.of(c), b),
                new Node(c.definingOp(), List.of(a), c), new Node(d.definingOp(), List.of(), d)), List.of());
        List<String> errors = Verifier.check(g);
        assertThat(errors).anyMatch(e -> e.contains("used before it is defined"))
                .anyMatch(e -> e.contains("duplicate name 'a'"))
                .anyMatch(e -> e.contains("op infers f32[4]"))
                .anyMatch(e -> e.contains("no outputs"))
                .anyMatch(e -> e.contains("input without a name"));
        assertThatThrownBy(() -> Verifier.verify(g)).isInstanceOf(IllegalStateException.class).hasMessageContaining("does not verify");
    }

    @Test
    void slicesOfSymbolicDimsStaySymbolic() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "batch", "seq", 8);
        assertThat(b.slice(x, 1, 1, ShapeOp.Slice.END, null).shape()).isEqualTo(Shape.of("batch", Dim.sym("seq").minus(1), 8));
        assertThat(b.slice(x, 1, -1, ShapeOp.Slice.END, null).shape()).isEqualTo(Shape.of("batch", 1, 8));
        assertThat(b.slice(x, 1, 0, 2, null).shape()).isEqualTo(Shape.of("batch", 2, 8));
        assertThat(b.slice(x, -1, 2, -1, null).shape()).isEqualTo(Shape.of("batch", "seq", 5));
        assertThatThrownBy(() -> b.slice(x, List.of(0L), List.of(ShapeOp.Slice.END), List.of(1), List.of(2L), null))
                .hasMessageContaining("step 2 on symbolic dim seq");
    }

    @Test
    void fingerprintFollowsStructure() {
        assertThat(PrinterTest.tinyBlock().fingerprint()).isEqualTo(PrinterTest.tinyBlock().fingerprint()).hasSize(64);
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T");
        String one = b.output(b.silu(x, null)).build().fingerprint();
        GraphBuilder c = new GraphBuilder();
        Value y = c.input("x", DType.F32, "T");
        assertThat(c.output(c.gelu(y, true, null)).build().fingerprint()).isNotEqualTo(one);
    }

    @Test
    void opsAreValuesForCse() {
        assertThat(new ShapeOp.Transpose(List.of(1, 0))).isEqualTo(new ShapeOp.Transpose(List.of(1, 0)));
        assertThat(new LlmOp.RmsNorm(1e-5f)).isEqualTo(new LlmOp.RmsNorm(1e-5f)).isNotEqualTo(new LlmOp.RmsNorm(1e-6f));
    }
}
