package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static dev.ingot.ir.interp.ShapeOpsTest.iota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {
    @Test
    void matmulHandValuesAndBatchBroadcast() {
        // [2, 3] x [3, 2]
        Tensor c = run((b, v) -> b.matmul(v.get(0), v.get(1), null), iota(2, 3), iota(3, 2));
        assertThat(c.floats()).containsExactly(10, 13, 28, 40);
        // batch [2, 1, 2, 3] x [4, 3, 1] -> [2, 4, 2, 1]
        Tensor a = iota(2, 1, 2, 3), w = iota(4, 3, 1);
        Tensor o = run((b, v) -> b.matmul(v.get(0), v.get(1), null), a, w);
        assertThat(o.shape()).containsExactly(2, 4, 2, 1);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int m = 0; m < 2; m++) {
            double acc = 0;
            for (int k = 0; k < 3; k++) acc += a.floats()[(i * 2 + m) * 3 + k] * w.floats()[j * 3 + k];
            assertThat(o.floats()[(i * 4 + j) * 2 + m]).isEqualTo((float) acc);
        }
        // rank-1 operands: [3] x [3, 2] -> [2]; [2, 3] x [3] -> [2]; [3] x [3] -> []
        assertThat(run((b, v) -> b.matmul(v.get(0), v.get(1), null), iota(3), iota(3, 2)).floats()).containsExactly(10, 13);
        assertThat(run((b, v) -> b.matmul(v.get(0), v.get(1), null), iota(2, 3), iota(3)).floats()).containsExactly(5, 14);
        Tensor dot = run((b, v) -> b.matmul(v.get(0), v.get(1), null), iota(3), iota(3));
        assertThat(dot.shape()).isEmpty();
        assertThat(dot.floats()).containsExactly(5);
    }

    @Test
    void linearIsMatmulAgainstTransposedWeight() {
        Random r = Seeds.random("linear-f32");
        float[] x = Seeds.floats(r, 3 * 2 * 13, 1), w = Seeds.floats(r, 7 * 13, 1);
        Tensor out = run((b, v) -> b.linear(v.get(0), v.get(1), null), Tensor.f32(x, 3, 2, 13), Tensor.f32(w, 7, 13));
        assertThat(out.shape()).containsExactly(3, 2, 7);
        Tensor ref = run((b, v) -> b.matmul(v.get(0), b.transpose(v.get(1), List.of(1, 0), null), null), Tensor.f32(x, 3, 2, 13), Tensor.f32(w, 7, 13));
        assertThat(out.floats()).containsExactly(ref.floats());
    }

    @Test
    void quantisedWeightsAreDequantisedRowByRow() {
        // Q8_0 and Q4_K weights [N=5, K=256] as external segments; compare with F32 linear over Dequant output
        Random r = Seeds.random("linear-quant");
        float[] x = Seeds.floats(r, 3 * 256, 1), w = Seeds.floats(r, 5 * 256, 1);
        for (DType t : List.of(DType.Q8_0, DType.Q4_K, DType.F16)) {
            MemorySegment seg = MemorySegment.ofArray(Quantize.all(t, w));
            float[] deq = Dequant.all(t, seg, 0, w.length);
            GraphBuilder b = new GraphBuilder();
            Value xi = b.input("x", DType.F32, "T", 256);
            Value y = b.linear(xi, b.weight("w", t, Shape.of(5, 256), seg), "y");
            Value e = b.embedding(b.weight("emb", t, Shape.of(5, 256), seg), b.input("ids", DType.I32, "T"), "e");
            Interpreter.Result res = Interpreter.run(b.output(y, e).build(),
                    Map.of("x", Tensor.f32(x, 3, 256), "ids", Tensor.i32(new int[] {4, 0, 2}, 3)));
            Tensor ref = run((bb, v) -> bb.linear(v.get(0), v.get(1), null), Tensor.f32(x, 3, 256), Tensor.f32(deq, 5, 256));
            assertThat(res.output(0).floats()).as("linear %s", t).containsExactly(ref.floats());
            float[] emb = res.output(1).floats();
            for (int i = 0; i < 256; i++) {
                assertThat(emb[i]).isEqualTo(deq[4 * 256 + i]);
                assertThat(emb[512 + i]).isEqualTo(deq[2 * 256 + i]);
            }
        }
    }

    @Test
    void externalWeightsFeedElementwiseOpsAndNorms() {
        // a Qwen2-style bias add reads an F32 weight segment in place; an F16 norm weight is converted exactly
        GraphBuilder b = new GraphBuilder();
        Value x = b.input("x", DType.F32, "T", 3);
        Value bias = b.weight("bias", DType.F32, Shape.of(3), MemorySegment.ofArray(Quantize.all(DType.F32, new float[] {0.5f, -1, 2})));
        Value w16 = b.weight("norm", DType.F16, Shape.of(3), MemorySegment.ofArray(Quantize.all(DType.F16, new float[] {1, 2, 0.5f})));
        Graph g = b.output(b.add(x, bias, "xb"), b.rmsNorm(x, w16, 0f, "n")).build();
        Interpreter.Result r = Interpreter.run(g, Map.of("x", Tensor.f32(new float[] {1, 1, 1, 2, 2, 2}, 2, 3)));
        assertThat(r.output(0).floats()).containsExactly(1.5f, 0, 3, 2.5f, 1, 4);
        assertThat(r.output(1).floats()).containsExactly(1, 2, 0.5f, 1, 2, 0.5f);
    }

    @Test
    void llamaCppModeQuantisesActivationsLikeTheCpuBackend() {
        // Q8_0 weights [5, 64]: llama.cpp quantises x to Q8_0 first, so its product equals dequant(q8(x)) · dequant(w)
        Random r = Seeds.random("linear-llamacpp");
        float[] x = Seeds.floats(r, 2 * 64, 1), w = Seeds.floats(r, 5 * 64, 1);
        MemorySegment seg = MemorySegment.ofArray(Quantize.all(DType.Q8_0, w));
        GraphBuilder b = new GraphBuilder();
        Value y = b.linear(b.input("x", DType.F32, "T", 64), b.weight("w", DType.Q8_0, Shape.of(5, 64), seg), "y");
        Graph g = b.output(y).build();
        Map<String, Tensor> in = Map.of("x", Tensor.f32(x, 2, 64));
        float[] exact = Interpreter.run(g, in).output(0).floats();
        float[] cpp = Interpreter.run(g, Map.of(), in, Interpreter.Options.defaults().withLinearMode(Interpreter.LinearMode.LLAMA_CPP)).output(0).floats();
        float[] wq = Dequant.all(DType.Q8_0, seg, 0, w.length);
        for (int row = 0; row < 2; row++) {
            float[] xq = Dequant.all(DType.Q8_0, MemorySegment.ofArray(Quantize.all(DType.Q8_0, java.util.Arrays.copyOfRange(x, row * 64, row * 64 + 64))), 0, 64);
            for (int n = 0; n < 5; n++) {
                double acc = 0;
                for (int i = 0; i < 64; i++) acc += (double) xq[i] * wq[n * 64 + i];
                // integer block sums are exact; only the float scaling and the 2-block sum round (~1e-6 relative)
                assertThat(cpp[row * 5 + n]).as("row %d col %d", row, n).isCloseTo((float) acc, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThat(cpp).isNotEqualTo(exact); // activation quantisation is visible
        System.out.println("[linear] llama.cpp mode vs exact, Q8_0 [5, 64]: " + Compare.diff(cpp, exact));
        assertThat(Compare.diff(cpp, exact).nmse()).isLessThan(1e-3);
    }

    @Test
    void embeddingRejectsOutOfVocabularyIds() {
        assertThatThrownBy(() -> run((b, v) -> b.embedding(v.get(0), v.get(1), null), iota(4, 2), Tensor.i32(new int[] {4}, 1)))
                .hasMessageContaining("token id 4").hasMessageContaining("[0, 4)");
    }

    @Test
    void linearOddSizesAccumulateInDouble() {
        Random r = Seeds.random("linear-odd");
        for (int k : new int[] {1, 13, 207}) {
            float[] x = Seeds.floats(r, k, 1), w = Seeds.floats(r, 3 * k, 1);
            float[] out = run((b, v) -> b.linear(v.get(0), v.get(1), null), Tensor.f32(x, 1, k), Tensor.f32(w, 3, k)).floats();
            float[] exp = new float[3];
            for (int n = 0; n < 3; n++) {
                double acc = 0;
                for (int i = 0; i < k; i++) acc += (double) x[i] * w[n * k + i];
                exp[n] = (float) acc;
            }
            assertClose(out, exp, 1e-6, "linear K=" + k); // summation order may differ; double then one rounding
        }
    }
}
