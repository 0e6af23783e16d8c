package dev.ingot.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vocabulary passes against scalar references on odd sizes (vector body + tail), seeded. */
class VecMathTest {
    @Test
    void indexOfFindsTheLowestIndexOfTheMaxAnywhere() {
        Random r = Seeds.random("VecMathTest.indexOf");
        for (int n : new int[] {1, 7, 16, 17, 33, 1000, 32003}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] w = Seeds.floats(r, n, 5f);
                int at = r.nextInt(n);
                w[at] = 9f;
                if (trial % 3 == 0 && at + 1 < n) w[n - 1] = 9f; // a later tie: the lower id wins
                int want = 0;
                while (w[want] != 9f) want++;
                assertThat(VecMath.indexOf(w, n, VecMath.max(w, n))).as("n=%d trial=%d", n, trial).isEqualTo(want);
            }
        }
    }

    @Test
    void sumExpMatchesADoubleReference() {
        Random r = Seeds.random("VecMathTest.sumExp");
        for (int n : new int[] {1, 15, 17, 1023, 1025, 32000, 151_937}) {
            float[] w = Seeds.floats(r, n, 8f), out = new float[n];
            float max = VecMath.max(w, n);
            double want = 0;
            for (int i = 0; i < n; i++) want += Math.exp((double) w[i] - max);
            assertThat(VecMath.sumExp(w, n, max, out)).as("n=%d", n).isCloseTo(want, org.assertj.core.data.Percentage.withPercentage(1e-4));
            for (int i = 0; i < n; i += Math.max(1, n / 97)) {
                assertThat((double) out[i]).isCloseTo(Math.exp((double) w[i] - max), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }
}
