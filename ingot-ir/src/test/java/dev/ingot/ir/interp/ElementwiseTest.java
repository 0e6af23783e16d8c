package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.tensor.DType;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    @Test
    void addBroadcastsColumnAgainstRow() {
        // [2, 1] + [3] -> [2, 3]
        Tensor out = run((b, v) -> b.add(v.get(0), v.get(1), "y"), Tensor.f32(new float[] {10, 20}, 2, 1), Tensor.f32(new float[] {1, 2, 3}, 3));
        assertThat(out.shape()).containsExactly(2, 3);
        assertThat(out.floats()).containsExactly(11, 12, 13, 21, 22, 23);
    }

    @Test
    void broadcastsScalarAndMiddleAxis() {
        // [2, 1, 2] * [] and [2, 1, 2] - [3, 1]
        Tensor a = Tensor.f32(new float[] {1, 2, 3, 4}, 2, 1, 2);
        assertThat(run((b, v) -> b.mul(v.get(0), v.get(1), null), a, Tensor.f32(new float[] {2}))
                .floats()).containsExactly(2, 4, 6, 8);
        Tensor out = run((b, v) -> b.sub(v.get(0), v.get(1), null), a, Tensor.f32(new float[] {0, 10, 100}, 3, 1));
        assertThat(out.shape()).containsExactly(2, 3, 2);
        assertThat(out.floats()).containsExactly(1, 2, -9, -8, -99, -98, 3, 4, -7, -6, -97, -96);
    }

    @Test
    void incompatibleShapesAreRejectedAtBuildTime() {
        assertThatThrownBy(() -> run((b, v) -> b.add(v.get(0), v.get(1), "bad"), Tensor.f32(new float[3], 3), Tensor.f32(new float[2], 2)))
                .hasMessageContaining("add").hasMessageContaining("do not broadcast").hasMessageContaining("'bad'");
        assertThatThrownBy(() -> run((b, v) -> b.add(v.get(0), v.get(1), null), Tensor.f32(new float[1], 1), Tensor.i32(new int[1], 1)))
                .hasMessageContaining("dtypes differ");
    }

    @Test
    void integerDivisionTruncatesAndModFloors() {
        Tensor a = Tensor.i64(new long[] {7, -7, 7, -7}, 4), c = Tensor.i64(new long[] {2, 2, -2, -2}, 4);
        assertThat(run((b, v) -> b.div(v.get(0), v.get(1), null), a, c).longs()).containsExactly(3, -3, -3, 3);
        assertThat(run((b, v) -> b.binary(BinaryKind.MOD, v.get(0), v.get(1), null), a, c).longs()).containsExactly(1, 1, -1, -1);
        // large I64 values survive exactly (no double round trip)
        Tensor big = Tensor.i64(new long[] {(1L << 60) + 1}, 1);
        assertThat(run((b, v) -> b.add(v.get(0), v.get(1), null), big, Tensor.i64(new long[] {1}, 1)).longs()).containsExactly((1L << 60) + 2);
    }

    @Test
    void comparisonsGiveBoolAndWhereSelects() {
        Tensor a = Tensor.f32(new float[] {1, 5, 3}, 3), c = Tensor.f32(new float[] {2, 2, 3}, 3);
        Tensor lt = run((b, v) -> b.binary(BinaryKind.LT, v.get(0), v.get(1), null), a, c);
        assertThat(lt.dtype()).isEqualTo(DType.BOOL);
        assertThat(lt.bytes()).containsExactly(1, 0, 0);
        Tensor w = run((b, v) -> b.where(b.binary(BinaryKind.GE, v.get(0), v.get(1), null), v.get(0), v.get(1), null), a, c);
        assertThat(w.floats()).containsExactly(2, 5, 3);
    }

    @Test
    void unaryFunctionsMatchHandValues() {
        Tensor x = Tensor.f32(new float[] {-2, -0.5f, 0, 1, 3}, 5);
        assertClose(run((b, v) -> b.silu(v.get(0), null), x).floats(),
                new float[] {(float) (-2 / (1 + Math.exp(2))), (float) (-0.5 / (1 + Math.exp(0.5))), 0, 0.7310585786f, 2.8577223804f}, 1e-7, "silu");
        // GELU reference values from Python math.erf / math.tanh (PyTorch gelu approximate=none / tanh)
        assertClose(run((b, v) -> b.gelu(v.get(0), false, null), x).floats(),
                new float[] {-0.0455002639f, -0.1542687694f, 0f, 0.8413447461f, 2.9959503059f}, 2e-7, "gelu erf");
        assertClose(run((b, v) -> b.gelu(v.get(0), true, null), x).floats(),
                new float[] {-0.0454023059f, -0.1542859902f, 0f, 0.8411919906f, 2.9963626079f}, 2e-7, "gelu tanh");
        assertClose(run((b, v) -> b.unary(UnaryKind.RSQRT, v.get(0), null), Tensor.f32(new float[] {4, 0.25f}, 2)).floats(),
                new float[] {0.5f, 2f}, 0, "rsqrt");
    }

    @Test
    void erfIsAccurateAcrossItsRange() {
        // erf reference values (Abramowitz & Stegun table / mpmath)
        double[][] table = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
            {2.0, 0.9953222650189527}, {2.4, 0.9993114861033550}, {2.6, 0.9997639655834707}, {3.5, 0.9999992569016276},
            {5.0, 0.9999999999984626}, {-1.0, -0.8427007929497149}};
        for (double[] r : table) assertThat(Erf.erf(r[0])).as("erf(%s)", r[0]).isCloseTo(r[1], org.assertj.core.data.Offset.offset(1e-13));
    }

    @Test
    void castRoundsTruncatesAndBooleans() {
        Tensor x = Tensor.f32(new float[] {1.7f, -1.7f, 0f, 65519f}, 4);
        assertThat(run((b, v) -> b.cast(v.get(0), DType.I32, null), x).ints()).containsExactly(1, -1, 0, 65519);
        assertThat(run((b, v) -> b.cast(v.get(0), DType.BOOL, null), x).bytes()).containsExactly(1, 1, 0, 1);
        // F16: 1.7 -> 1.7001953125 (nearest), 65519 -> 65504 (largest finite below the overflow threshold)
        assertThat(run((b, v) -> b.cast(v.get(0), DType.F16, null), x).floats()).containsExactly(1.7001953125f, -1.7001953125f, 0f, 65504f);
        // BF16: 1.7 = 0x3FD9999A -> 0x3FDA (round up)
        assertThat(run((b, v) -> b.cast(v.get(0), DType.BF16, null), x).floats()[0]).isEqualTo(Float.intBitsToFloat(0x3FDA0000));
    }

    @Test
    void toSegmentEncodesExactlyForConstants() {
        // a folded I64 beyond 2^53 and an F16 value survive the trip through a constant
        Tensor big = Tensor.i64(new long[] {(1L << 60) + 3, -1}, 2);
        dev.ingot.ir.GraphBuilder b = new dev.ingot.ir.GraphBuilder();
        dev.ingot.ir.Value c = b.constant(new dev.ingot.ir.TensorType(DType.I64, dev.ingot.ir.shape.Shape.of(2)), big.toSegment(), "c");
        Tensor half = Tensor.zeros(DType.F16, 1);
        half.setDouble(0, 1.7);
        dev.ingot.ir.Value h = b.constant(new dev.ingot.ir.TensorType(DType.F16, dev.ingot.ir.shape.Shape.of(1)), half.toSegment(), "h");
        Interpreter.Result r = Interpreter.run(b.output(c, h).build(), java.util.Map.of());
        assertThat(r.output(0).longs()).containsExactly((1L << 60) + 3, -1);
        assertThat(r.output(1).floats()).containsExactly(1.7001953125f);
    }
}
