package dev.ingot.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoolingTest {
    // [batch 2, tokens 3, dim 2]; the second row's last token is padding
    private static final float[] HIDDEN = {3, 0, 1, 2, 5, 4, /* row 2 */ 0, 3, 0, 1, 100, 100};
    private static final int[][] MASK = {{1, 1, 1}, {1, 1, 0}};

    @Test
    void meanAveragesOnlyMaskedInPositionsThenNormalises() {
        float[][] out = Pooling.MEAN.pool(HIDDEN, MASK, 3, 2);
        // row 1: mean (3,2) -> /sqrt(13); row 2: mean (0,2) -> (0,1), the padded (100,100) ignored
        assertThat(out[0][0]).isCloseTo((float) (3 / Math.sqrt(13)), within(1e-6f));
        assertThat(out[0][1]).isCloseTo((float) (2 / Math.sqrt(13)), within(1e-6f));
        assertThat(out[1]).containsExactly(0f, 1f);
    }

    @Test
    void clsTakesTheFirstPosition() {
        float[][] out = Pooling.CLS.pool(HIDDEN, MASK, 3, 2);
        assertThat(out[0]).containsExactly(1f, 0f);
        assertThat(out[1]).containsExactly(0f, 1f);
    }

    @Test
    void aZeroVectorStaysZeroInsteadOfNaN() {
        assertThat(Pooling.MEAN.pool(new float[4], new int[][] {{0, 0}}, 2, 2)[0]).containsExactly(0f, 0f);
    }

    @Test
    void parsesNamesCaseInsensitively() {
        assertThat(Pooling.parse("CLS")).isEqualTo(Pooling.CLS);
        assertThat(Pooling.parse("mean")).isEqualTo(Pooling.MEAN);
        assertThatThrownBy(() -> Pooling.parse("max")).hasMessageContaining("mean or cls");
    }
}
