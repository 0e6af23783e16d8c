package dev.ingot.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorElementwise} and {@link ScalarElementwise} against double-precision references on odd sizes
 * (1, 13, 207, 4098), inputs from logged seeds. Tolerances, per op: add exact (same float op); rmsNorm
 * rel 1e-5 (float sum of squares, length <= 4098); swiglu rel 1e-5 + abs 1e-6 (exp in float vs double);
 * softmax abs 1e-6 (values <= 1, sum rounding); rope abs 1e-5 (angles up to pos * 1, float products).
 */
class ElementwiseTest {
    static final int[] SIZES = {1, 13, 207, 4098};
    final Elementwise[] impls = {new VectorElementwise(), new ScalarElementwise()};

    @Test
    void rmsNormSwigluAddSoftmax() {
        Random r = Seeds.random("elementwise");
        for (int n : SIZES) {
            float[] x = Seeds.floats(r, n + 3, 3f), w = Seeds.floats(r, n + 1, 1f), u = Seeds.floats(r, n + 2, 2f);
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[3 + i] * x[3 + i];
            double inv = 1 / Math.sqrt(ss / n + 1e-5);
            for (Elementwise e : impls) {
                String what = e.getClass().getSimpleName() + " n=" + n;
                float[] out = new float[n + 5];
                e.rmsNorm(x, 3, w, 1, out, 5, n, 1e-5f);
                for (int i = 0; i < n; i++) {
                    double ref = x[3 + i] * inv * w[1 + i];
                    assertThat((double) out[5 + i]).as("rmsNorm " + what).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(ref) + 1e-6));
                }
                e.swiglu(x, 3, u, 2, out, 0, n);
                for (int i = 0; i < n; i++) {
                    double g = x[3 + i], ref = g / (1 + Math.exp(-g)) * u[2 + i];
                    assertThat((double) out[i]).as("swiglu " + what).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(ref) + 1e-6));
                }
                e.add(x, 3, u, 2, out, 1, n);
                for (int i = 0; i < n; i++) assertThat(out[1 + i]).as("add " + what).isEqualTo(x[3 + i] + u[2 + i]);
                float[] s = x.clone();
                e.softmax(s, 3, n);
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < n; i++) max = Math.max(max, x[3 + i]);
                for (int i = 0; i < n; i++) sum += Math.exp(x[3 + i] - max);
                for (int i = 0; i < n; i++) {
                    assertThat((double) s[3 + i]).as("softmax " + what).isCloseTo(Math.exp(x[3 + i] - max) / sum, org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        }
    }

    @Test
    void ropeNormAndNeox() {
        Random r = Seeds.random("rope");
        for (RopeTable.Mode mode : RopeTable.Mode.values()) {
            for (int[] dims : new int[][] {{64, 64}, {128, 128}, {64, 32}, {26, 26}, {6, 2}}) {
                int hd = dims[0], nRot = dims[1], nHeads = 3, pos = 1 + r.nextInt(4000);
                float[] ff = mode == RopeTable.Mode.NEOX ? null : Seeds.floats(r, nRot / 2, 0.5f);
                if (ff != null) for (int j = 0; j < ff.length; j++) ff[j] += 1.5f;
                RopeTable table = new RopeTable(mode, nRot).fill(pos, 10000f, 1f, ff);
                float[] x = Seeds.floats(r, 2 + nHeads * hd, 1f);
                for (Elementwise e : impls) {
                    float[] y = x.clone();
                    e.rope(y, 2, nHeads, hd, table);
                    for (int h = 0; h < nHeads; h++) {
                        int b = 2 + h * hd;
                        for (int j = 0; j < nRot / 2; j++) {
                            double th = pos * Math.pow(10000, -2.0 * j / nRot) / (ff == null ? 1 : ff[j]);
                            int i0 = mode == RopeTable.Mode.NORM ? b + 2 * j : b + j;
                            int i1 = mode == RopeTable.Mode.NORM ? i0 + 1 : i0 + nRot / 2;
                            double a = x[i0], c = x[i1];
                            String what = e.getClass().getSimpleName() + " " + mode + " hd=" + hd + " nRot=" + nRot + " j=" + j;
                            assertThat((double) y[i0]).as(what).isCloseTo(a * Math.cos(th) - c * Math.sin(th), org.assertj.core.data.Offset.offset(1e-5));
                            assertThat((double) y[i1]).as(what).isCloseTo(c * Math.cos(th) + a * Math.sin(th), org.assertj.core.data.Offset.offset(1e-5));
                        }
                        for (int i = nRot; i < hd; i++) assertThat(y[b + i]).isEqualTo(x[b + i]);
                    }
                }
            }
        }
    }
}
