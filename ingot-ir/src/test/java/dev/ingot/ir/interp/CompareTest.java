package dev.ingot.ir.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompareTest {
    @Test
    void nmseAndWorstElement() {
        Compare.Diff d = Compare.diff(new float[] {1, 2, 3.5f}, new float[] {1, 2, 3});
        assertThat(d.nmse()).isCloseTo(0.25 / 14, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d.worstIndex()).isEqualTo(2);
        assertThat(d.maxAbs()).isEqualTo(0.5);
    }

    @Test
    void failsWithNameShapeAndNonFiniteMismatch() {
        Tensor ref = Tensor.f32(new float[] {1, Float.NaN}, 2);
        Compare.assertNmse("same", Tensor.f32(new float[] {1, Float.NaN}, 2), ref, 1e-7);
        assertThatThrownBy(() -> Compare.assertNmse("logits", Tensor.f32(new float[] {1, 0}, 2), ref, 1e-7))
                .hasMessageContaining("logits f32[2]").hasMessageContaining("nonFiniteMismatches=1");
        assertThatThrownBy(() -> Compare.assertNmse("x", Tensor.f32(new float[] {2, 0}, 1, 2), ref, 1e-7)).hasMessageContaining("shape [1, 2]");
        assertThatThrownBy(() -> Compare.assertNmse("x", Tensor.f32(new float[] {1.1f, Float.NaN}, 2), ref, 1e-7)).hasMessageContaining("exceeds nmse bound");
    }
}
