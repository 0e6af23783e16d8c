package dev.ingot.ir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.tensor.DType;
import org.junit.jupiter.api.Test;

class GraphRewriterTest {
    @Test
    void replacesMatchedNodesCopiesTheRestAndDropsDeadOnes() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 4);
        b.input("unused", DType.I32, "T");
        Value g = b.gelu(x, false, "act");
        b.unary(UnaryKind.EXP, x, "dead");
        Graph before = b.output(b.add(g, x, "res")).build();

        // rewrite exact GELU into x * sigmoid(1.702 x), keeping the name on the replacement
        Graph after = GraphRewriter.rewrite(before, (nb, n, in) -> {
            if (n.op() instanceof ElementwiseOp.Unary u && u.kind() == UnaryKind.GELU_ERF) {
                Value k = nb.scalar(1.702f, null);
                return nb.mul(in.getFirst(), nb.unary(UnaryKind.SIGMOID, nb.mul(in.getFirst(), k, null), null), n.output().name());
            }
            return null;
        });
        assertThat(after.hasValue("dead")).isFalse();
        assertThat(after.hasValue("unused")).isTrue();
        assertThat(after.value("act").definingOp()).isEqualTo(new ElementwiseOp.Binary(ElementwiseOp.BinaryKind.MUL));
        assertThat(Printer.print(after)).contains("sigmoid").doesNotContain("gelu_erf");
        assertThat(after.value("res").type()).isEqualTo(before.value("res").type());
    }

    @Test
    void identityRewriteOfALiveGraphPrintsTheSame() {
        Graph g = PrinterTest.tinyBlock();
        assertThat(Printer.print(GraphRewriter.rewrite(g, (b, n, in) -> null))).isEqualTo(Printer.print(g));
    }
}
