package dev.ingot.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Kept angles are the computed ones: a table filled in any order, and after its parameters change, gives exactly
 * what the direct formula (ggml_rope_ext's theta) gives for that position.
 */
class RopeTableTest {
    @Test
    void keptAnglesEqualTheFormulaInAnyOrder() {
        for (RopeTable.Mode mode : RopeTable.Mode.values()) {
            RopeTable t = new RopeTable(mode, 64);
            float[] ff = new float[32];
            for (int j = 0; j < 32; j++) ff[j] = 1f + j / 7f;
            int[] order = {5, 0, 300, 7, 299, 1000, 3, 64};
            for (float[] factors : new float[][] {null, ff}) {
                for (float base : new float[] {10000f, 500000f}) {
                    for (int pos : order) {
                        t.fill(pos, base, 1f, factors);
                        float[][] want = direct(mode, 64, pos, base, 1f, factors);
                        assertThat(t.cos).as(mode + " cos pos " + pos + " base " + base).containsExactly(want[0]);
                        assertThat(t.sin).as(mode + " sin pos " + pos + " base " + base).containsExactly(want[1]);
                    }
                }
            }
        }
    }

    /** The angles computed directly for one position, as the table did before it kept rows. */
    private static float[][] direct(RopeTable.Mode mode, int nRot, int pos, float base, float freqScale, float[] ff) {
        float[] cos = new float[nRot], sin = new float[nRot];
        for (int j = 0; j < nRot / 2; j++) {
            double theta = pos * Math.pow(base, -2.0 * j / nRot) * freqScale;
            if (ff != null) theta /= ff[j];
            float c = (float) Math.cos(theta), s = (float) Math.sin(theta);
            if (mode == RopeTable.Mode.NORM) {
                cos[2 * j] = c; cos[2 * j + 1] = c;
                sin[2 * j] = -s; sin[2 * j + 1] = s;
            } else {
                cos[j] = c; sin[j] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
