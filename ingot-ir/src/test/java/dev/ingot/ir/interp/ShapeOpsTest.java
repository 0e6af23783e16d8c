package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.ShapeOp.Slice;
import dev.ingot.ir.shape.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeOpsTest {
    /** 0..n-1 as F32 of the given shape. */
    static Tensor iota(long... shape) {
        float[] a = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return Tensor.f32(a, shape);
    }

    @Test
    void transposePermutesAxes() {
        // x [2, 3, 4] -> perm (2, 0, 1) -> [4, 2, 3]; out[k][i][j] = x[i][j][k] = 12i + 4j + k
        Tensor out = run((b, v) -> b.transpose(v.get(0), List.of(2, 0, 1), null), iota(2, 3, 4));
        assertThat(out.shape()).containsExactly(4, 2, 3);
        for (int k = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            assertThat(out.floats()[(k * 2 + i) * 3 + j]).isEqualTo(12 * i + 4 * j + k);
        }
    }

    @Test
    void sliceHandlesNegativeBoundsStepsAndClamping() {
        Tensor x = iota(10);
        assertThat(run((b, v) -> b.slice(v.get(0), List.of(-3L), List.of(Slice.END), List.of(0), List.of(1L), null), x).floats())
                .containsExactly(7, 8, 9);
        assertThat(run((b, v) -> b.slice(v.get(0), List.of(1L), List.of(100L), List.of(0), List.of(3L), null), x).floats())
                .containsExactly(1, 4, 7);
        // negative step: from the last element backwards, excluding index 5
        assertThat(run((b, v) -> b.slice(v.get(0), List.of(-1L), List.of(5L), List.of(0), List.of(-2L), null), x).floats())
                .containsExactly(9, 7);
        // slice the last axis of [2, 5]: columns 1..3
        Tensor y = run((b, v) -> b.slice(v.get(0), -1, 1, 4, null), iota(2, 5));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(1, 2, 3, 6, 7, 8);
        // empty result
        assertThat(run((b, v) -> b.slice(v.get(0), 0, 4, 2, null), x).numel()).isZero();
    }

    @Test
    void concatGatherExpand() {
        Tensor c = run((b, v) -> b.concat(List.of(v.get(0), v.get(1)), 1, null), iota(2, 2), iota(2, 1));
        assertThat(c.shape()).containsExactly(2, 3);
        assertThat(c.floats()).containsExactly(0, 1, 0, 2, 3, 1);
        // gather rows with a negative index: data [3, 2], idx [2] on axis 0
        Tensor g = run((b, v) -> b.gather(v.get(0), v.get(1), 0, null), iota(3, 2), Tensor.i64(new long[] {-1, 0}, 2));
        assertThat(g.floats()).containsExactly(4, 5, 0, 1);
        // gather columns with a 2-D index: data [2, 3], idx [2, 2] on axis 1 -> [2, 2, 2]
        Tensor g2 = run((b, v) -> b.gather(v.get(0), v.get(1), 1, null), iota(2, 3), Tensor.i32(new int[] {2, 0, 1, 1}, 2, 2));
        assertThat(g2.shape()).containsExactly(2, 2, 2);
        assertThat(g2.floats()).containsExactly(2, 0, 1, 1, 5, 3, 4, 4);
        assertThatThrownBy(() -> run((b, v) -> b.gather(v.get(0), v.get(1), 0, null), iota(3), Tensor.i64(new long[] {3}, 1)))
                .hasMessageContaining("out of range");
        Tensor e = run((b, v) -> b.expand(v.get(0), Shape.of(2, 3), null), iota(3));
        assertThat(e.floats()).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void squeezeUnsqueezeShapeOfReshape() {
        Tensor u = run((b, v) -> b.unsqueeze(v.get(0), List.of(0, -1), null), iota(3));
        assertThat(u.shape()).containsExactly(1, 3, 1);
        assertThat(run((b, v) -> b.squeeze(v.get(0), List.of(0, 2), null), iota(1, 3, 1)).shape()).containsExactly(3);
        assertThat(run((b, v) -> b.shapeOf(v.get(0), null), iota(2, 3, 4)).longs()).containsExactly(2, 3, 4);
        Tensor r = run((b, v) -> b.reshape(v.get(0), Shape.of(-1, 4), null), iota(2, 6));
        assertThat(r.shape()).containsExactly(3, 4);
        assertThatThrownBy(() -> run((b, v) -> b.squeeze(v.get(0), List.of(1), null), iota(1, 3)))
                .hasMessageContaining("is not 1");
    }

    @Test
    void iotaCountsAlongItsAxisUnderTheBinding() {
        dev.ingot.ir.GraphBuilder b = new dev.ingot.ir.GraphBuilder();
        dev.ingot.ir.Value x = b.input("x", dev.ingot.tensor.DType.F32, "seq", 3);
        dev.ingot.ir.Value pos = b.iota(dev.ingot.ir.TensorType.of(dev.ingot.tensor.DType.I64, 2, "seq"), 1, "pos");
        dev.ingot.ir.Graph g = b.output(pos, b.shapeOf(x, null)).build();
        Interpreter.Result r = Interpreter.run(g, java.util.Map.of("x", Tensor.f32(new float[12], 4, 3)));
        assertThat(r.output(0).shape()).containsExactly(2, 4);
        assertThat(r.output(0).longs()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(g.symbols()).containsExactly("seq");
        assertThat(r.output(0).preview(3)).isEqualTo("i64[2, 4] [0, 1, 2, ...]");
        assertThat(Tensor.f32(new float[] {0.5f}, 1).preview(3)).isEqualTo("f32[1] [0.5]");
        assertThatThrownBy(() -> b.iota(dev.ingot.ir.TensorType.of(dev.ingot.tensor.DType.I64, 2), 1, null)).hasMessageContaining("out of range");
    }
}
