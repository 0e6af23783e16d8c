package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static dev.ingot.ir.interp.ShapeOpsTest.iota;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.ReduceOp.ReduceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceTest {
    @Test
    void reduceOverAxesWithAndWithoutKeepDims() {
        Tensor x = iota(2, 3, 4); // x[i][j][k] = 12i + 4j + k
        Tensor s = run((b, v) -> b.reduceSum(v.get(0), List.of(1), false, null), x);
        assertThat(s.shape()).containsExactly(2, 4);
        assertThat(s.floats()).containsExactly(12, 15, 18, 21, 48, 51, 54, 57);
        Tensor m = run((b, v) -> b.reduceMean(v.get(0), List.of(0, -1), true, null), x);
        assertThat(m.shape()).containsExactly(1, 3, 1);
        assertThat(m.floats()).containsExactly(7.5f, 11.5f, 15.5f);
        Tensor all = run((b, v) -> b.reduceMax(v.get(0), List.of(), false, null), x);
        assertThat(all.shape()).isEmpty();
        assertThat(all.floats()).containsExactly(23);
        Tensor mn = run((b, v) -> b.reduce(ReduceKind.MIN, v.get(0), List.of(2), false, null), x);
        assertThat(mn.floats()).containsExactly(0, 4, 8, 12, 16, 20);
    }

    @Test
    void argMaxTakesFirstMaximum() {
        Tensor x = Tensor.f32(new float[] {1, 3, 3, 0, 5, -1}, 2, 3);
        assertThat(run((b, v) -> b.argMax(v.get(0), 1, false, null), x).longs()).containsExactly(1, 1);
        assertThat(run((b, v) -> b.argMax(v.get(0), 0, true, null), x).longs()).containsExactly(0, 1, 0);
    }

    @Test
    void softmaxMatchesHandValuesAndIsShiftInvariant() {
        Tensor x = Tensor.f32(new float[] {1, 2, 3, 1001, 1002, 1003}, 2, 3);
        float[] e = {0.09003057f, 0.24472847f, 0.66524096f};
        float[] out = run((b, v) -> b.softmax(v.get(0), -1, null), x).floats();
        assertClose(out, new float[] {e[0], e[1], e[2], e[0], e[1], e[2]}, 1e-7, "softmax last axis");
        // along axis 0 of [2, 3]: each column's pair is (a, a + 1000)
        float[] col = run((b, v) -> b.softmax(v.get(0), 0, null), x).floats();
        assertThat(col[0]).isEqualTo(0f);
        assertThat(col[3]).isEqualTo(1f);
    }
}
