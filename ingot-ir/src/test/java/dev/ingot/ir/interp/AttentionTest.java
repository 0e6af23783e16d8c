package dev.ingot.ir.interp;

import static dev.ingot.ir.interp.OneOp.assertClose;
import static dev.ingot.ir.interp.OneOp.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Plain scaled-dot-product attention (encoders); paged attention is in {@link PagedAttentionTest}. */
class AttentionTest {
    @Test
    void sdpaCausalAndBoolMaskAgree() {
        Random r = Seeds.random("sdpa-mask");
        int l = 5;
        int d = 8;
        float[] q = Seeds.floats(r, 2 * l * d, 1), k = Seeds.floats(r, 2 * l * d, 1), v = Seeds.floats(r, 2 * l * 3, 1);
        boolean[] tril = new boolean[l * l];
        for (int i = 0; i < l; i++) for (int j = 0; j <= i; j++) tril[i * l + j] = true;
        float[] causal = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), null, 0.3f, true, null),
                Tensor.f32(q, 2, l, d), Tensor.f32(k, 2, l, d), Tensor.f32(v, 2, l, 3)).floats();
        float[] masked = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), x.get(3), 0.3f, false, null),
                Tensor.f32(q, 2, l, d), Tensor.f32(k, 2, l, d), Tensor.f32(v, 2, l, 3), Tensor.bool(tril, l, l)).floats();
        assertThat(masked).containsExactly(causal);
        // row 0 attends only to key 0: output equals v[0]
        assertClose(java.util.Arrays.copyOfRange(causal, 0, 3), java.util.Arrays.copyOfRange(v, 0, 3), 1e-7, "first row");
    }

    @Test
    void sdpaHandValuesWithAdditiveMask() {
        // q = (1, 0), keys (1, 0) and (0, 1), scale 1: scores (1, 0) + mask (0, ln 3) = (1, ln 3)
        float[] out = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), x.get(3), 1f, false, null),
                Tensor.f32(new float[] {1, 0}, 1, 2), Tensor.f32(new float[] {1, 0, 0, 1}, 2, 2),
                Tensor.f32(new float[] {10, 20}, 2, 1), Tensor.f32(new float[] {0, (float) Math.log(3)}, 1, 2)).floats();
        // weights e^1 : e^(ln 3) = e : 3
        double w0 = Math.E / (Math.E + 3);
        assertClose(out, new float[] {(float) (10 * w0 + 20 * (1 - w0))}, 1e-5, "additive mask");
    }

    @Test
    void maskBroadcastsOverBatchAndHeadsAndFullyMaskedRowsAreZero() {
        // q/k/v [B=2, H=3, L=2, D=1]; key-padding mask [2, 1, 1, 2]: batch 0 sees both keys, batch 1 neither
        float[] ones = new float[12];
        java.util.Arrays.fill(ones, 1f);
        float[] v = {1, 3, 1, 3, 1, 3, 5, 7, 5, 7, 5, 7};
        float[] out = run((b, x) -> b.attention(x.get(0), x.get(1), x.get(2), x.get(3), 1f, false, null),
                Tensor.f32(ones, 2, 3, 2, 1), Tensor.f32(ones, 2, 3, 2, 1), Tensor.f32(v, 2, 3, 2, 1),
                Tensor.bool(new boolean[] {true, true, false, false}, 2, 1, 1, 2)).floats();
        // equal scores -> mean of the two values (2) in batch 0; nothing to attend to -> 0 in batch 1
        assertThat(out).containsExactly(2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0);
    }
}
