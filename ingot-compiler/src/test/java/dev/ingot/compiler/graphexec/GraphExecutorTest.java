package dev.ingot.compiler.graphexec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Printer;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.Seeds;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A BERT-style layer written the way ONNX exporters write it (matmul + bias, head reshapes and transposes,
 * {@code softmax(q kT / c + mask) v}, decomposed LayerNorm, erf GELU, a broadcast position add), run compiled and
 * on the reference interpreter with seeded random inputs at odd sizes. The encoder rewrites must fire (the
 * optimised graph has linear, attention, layer_norm and gelu_erf, no bare erf; the q, k, v bias adds are folded into
 * their GEMMs) and the results agree to float accuracy.
 */
class GraphExecutorTest {
    private static final int HID = 24, HEADS = 3, HD = 8, FF = 40;

    private static Value weight(GraphBuilder b, Random r, String name, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) (r.nextGaussian() * 0.3);
        return b.weight(name, DType.F32, Shape.ofSizes(shape), MemorySegment.ofArray(toBytes(data)));
    }

    private static byte[] toBytes(float[] f) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(f.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : f) bb.putFloat(x);
        return bb.array();
    }

    static Graph layer(Random r) {
        GraphBuilder b = new GraphBuilder();
        Value x0 = b.input("x", DType.F32, "B", "S", HID);
        Value pos = b.input("pos", DType.F32, 1, "S", HID);
        Value mask = b.input("mask", DType.F32, "B", 1, 1, "S");
        Value x = b.add(x0, pos, "x_pos");
        Value[] qkv = new Value[3];
        for (int i = 0; i < 3; i++) {
            Value lin = b.add(weight(b, r, "b" + i, HID), b.matmul(x, weight(b, r, "w" + i, HID, HID), null), null);
            Value heads = b.reshape(lin, Shape.of("B", "S", HEADS, HD), null);
            qkv[i] = b.transpose(heads, i == 1 ? List.of(0, 2, 3, 1) : List.of(0, 2, 1, 3), null);
        }
        Value scores = b.div(b.matmul(qkv[0], qkv[1], null), b.scalar((float) Math.sqrt(HD), null), null);
        Value p = b.softmax(b.add(scores, mask, null), -1, null);
        Value ctx = b.reshape(b.transpose(b.matmul(p, qkv[2], null), List.of(0, 2, 1, 3), null), Shape.of("B", "S", HID), "ctx");
        Value h = b.add(ctx, x, null);
        // LayerNorm as exported: mean, centre, pow 2, mean, + eps, sqrt, div, * w, + b
        Value mean = b.reduceMean(h, List.of(-1), true, null);
        Value c = b.sub(h, mean, null);
        Value var = b.reduceMean(b.binary(BinaryKind.POW, c, b.scalar(2f, null), null), List.of(-1), true, null);
        Value norm = b.div(c, b.unary(UnaryKind.SQRT, b.add(var, b.scalar(1e-12f, null), null), null), null);
        Value ln = b.add(b.mul(norm, weight(b, r, "ln_w", HID), null), weight(b, r, "ln_b", HID), "ln");
        Value up = b.add(weight(b, r, "b_up", FF), b.matmul(ln, weight(b, r, "w_up", HID, FF), null), null);
        Value gelu = b.mul(b.mul(up, b.add(b.unary(UnaryKind.ERF, b.div(up, b.scalar(1.4142135f, null), null), null), b.scalar(1f, null), null), null),
                b.scalar(0.5f, null), null);
        Value down = b.add(b.matmul(gelu, weight(b, r, "w_down", FF, HID), null), ln, "out");
        return b.output(down).build();
    }

    @Test
    void encoderLayerMatchesInterpreter() {
        long seed = Seeds.seed("graphexec-layer");
        Random r = new Random(seed);
        Graph g = layer(r);
        try (WorkerPool pool = new WorkerPool(2)) {
            GraphExecutor ex = GraphExecutor.compile(g, pool);
            String ops = Printer.print(ex.optimised());
            assertThat(ops).contains("linear(", "attention(", "layer_norm(", "gelu_erf(").doesNotContainPattern("[^_]erf\\(");
            for (int[] bs : new int[][] {{2, 5}, {1, 7}, {3, 1}, {2, 17}}) {
                int bb = bs[0], s = bs[1];
                float[] x = new float[bb * s * HID], pos = new float[s * HID], mask = new float[bb * s];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                for (int i = 0; i < pos.length; i++) pos[i] = (float) r.nextGaussian() * 0.1f;
                for (int i = 0; i < mask.length; i++) mask[i] = i % s == s - 1 && s > 1 ? -3.4028235e38f : 0f;
                Map<String, Tensor> in = Map.of("x", Tensor.f32(x, bb, s, HID), "pos", Tensor.f32(pos, 1, s, HID),
                        "mask", Tensor.f32(mask, bb, 1, 1, s));
                float[] ref = Interpreter.run(g, in).output(0).floatsForRead();
                for (int rep = 0; rep < 2; rep++) { // the second run reuses the plan and its arena
                    float[] got = ex.run(in).getFirst().floatsForRead();
                    for (int i = 0; i < ref.length; i++) {
                        assertThat((double) got[i]).as("seed %d, B=%d S=%d, element %d", seed, bb, s, i)
                                .isCloseTo(ref[i], org.assertj.core.data.Offset.offset(2e-4 * Math.max(1, Math.abs(ref[i]))));
                    }
                }
            }
            assertThat(ex.planCount()).isEqualTo(4);
            // the q, k, v bias adds are folded into their GEMMs (no add step of their own)
            String steps = ex.listing(Map.of("B", 2L, "S", 5L));
            assertThat(steps.split("\\+ bias", -1).length - 1).as("GEMMs adding their bias in:\n%s", steps).isEqualTo(3);
        }
    }
}
