package dev.ingot.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The stats' token rates: counts per 250 ms bucket over the last 5 s. */
class RateWindowTest {
    private static final long MS = 1_000_000L;

    @Test
    void ratesCoverTheElapsedPartOfTheWindowAndForgetOlderSteps() {
        RateWindow w = new RateWindow(0);
        w.add(100 * MS, 10, 20);
        w.add(1100 * MS, 0, 30);
        double[] r = w.rates(2000 * MS); // 2 s elapsed: 10 prompt and 50 generated tokens
        assertThat(r[0]).isCloseTo(5, within(1e-9));
        assertThat(r[1]).isCloseTo(25, within(1e-9));
        // 10 s later both steps are out of the window; a new step counts over the full 4.75..5 s window
        w.add(12_000 * MS, 0, 100);
        r = w.rates(12_000 * MS);
        assertThat(r[0]).isZero();
        assertThat(r[1]).isCloseTo(100 / 4.75, within(1e-9));
    }

    @Test
    void nothingAddedMeansZeroRates() {
        RateWindow w = new RateWindow(0);
        assertThat(w.rates(0)).containsExactly(0, 0);
        assertThat(w.rates(3000 * MS)).containsExactly(0, 0);
    }
}
