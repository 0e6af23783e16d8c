package dev.ingot.tune.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cost model's learner on synthetic data shaped like schedule timings: a few discrete features, a step,
 * an interaction and an optimum in the middle of a range (what a linear model cannot express), plus 3%
 * multiplicative noise. Fitted on 400 rows, scored on 200 held-out rows.
 */
class GradientBoostedTreesTest {
    /** log-time of a synthetic kernel: a bowl in f0, a step in f1, an f2 x f3 interaction, f4 irrelevant. */
    static double target(double[] f) {
        return Math.log(1 + 0.3 * Math.pow(f[0] - 3, 2) + (f[1] > 2 ? 0.8 : 0) + (f[2] > 0.5 && f[3] > 4 ? 1.2 : 0));
    }

    static double[][] features(Random r, int n) {
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {r.nextInt(7), r.nextInt(5), r.nextInt(2), r.nextInt(9), r.nextGaussian()};
        }
        return x;
    }

    @Test
    void ranksHeldOutPointsAndBeatsALinearFit() {
        Random r = Seeds.random("gbt-synthetic");
        double[][] x = features(r, 400), xt = features(r, 200);
        double[] y = new double[x.length], yt = new double[xt.length];
        for (int i = 0; i < y.length; i++) y[i] = target(x[i]) + Math.log(1 + 0.03 * r.nextGaussian());
        for (int i = 0; i < yt.length; i++) yt[i] = target(xt[i]);
        GradientBoostedTrees m = GradientBoostedTrees.fit(x, y, GradientBoostedTrees.Options.defaults(), 1);
        double[] p = new double[xt.length], lin = new double[xt.length];
        double[] beta = leastSquares(x, y);
        double sse = 0, sseLin = 0;
        for (int i = 0; i < xt.length; i++) {
            p[i] = m.predict(xt[i]);
            lin[i] = beta[0];
            for (int j = 0; j < xt[i].length; j++) lin[i] += beta[j + 1] * xt[i][j];
            sse += Math.pow(p[i] - yt[i], 2);
            sseLin += Math.pow(lin[i] - yt[i], 2);
        }
        double rho = Spearman.of(p, yt), rhoLin = Spearman.of(lin, yt);
        System.out.printf("[gbt] held-out Spearman %.3f (linear %.3f), RMSE %.4f (linear %.4f)%n", rho, rhoLin,
                Math.sqrt(sse / xt.length), Math.sqrt(sseLin / xt.length));
        assertThat(rho).isGreaterThan(0.95);
        assertThat(sse).isLessThan(0.25 * sseLin);
        // deterministic for a seed
        assertThat(GradientBoostedTrees.fit(x, y, GradientBoostedTrees.Options.defaults(), 1).predict(xt[0])).isEqualTo(p[0]);
    }

    @Test
    void constantTargetAndTinyData() {
        double[][] x = {{1, 2}, {3, 4}, {5, 6}};
        GradientBoostedTrees m = GradientBoostedTrees.fit(x, new double[] {2, 2, 2}, GradientBoostedTrees.Options.defaults(), 1);
        assertThat(m.predict(new double[] {9, 9})).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void spearmanHandlesTiesAndDegenerateInput() {
        assertThat(Spearman.of(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40})).isEqualTo(1.0);
        assertThat(Spearman.of(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1})).isEqualTo(-1.0);
        assertThat(Spearman.ranks(new double[] {5, 1, 5, 3})).containsExactly(3.5, 1, 3.5, 2);
        assertThat(Spearman.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
        assertThat(Spearman.of(new double[] {1}, new double[] {1})).isNaN();
    }

    /** Ordinary least squares with an intercept, by the normal equations (tiny ridge for stability). */
    static double[] leastSquares(double[][] x, double[] y) {
        int d = x[0].length + 1;
        double[][] a = new double[d][d + 1];
        for (int i = 0; i < x.length; i++) {
            double[] row = new double[d];
            row[0] = 1;
            System.arraycopy(x[i], 0, row, 1, d - 1);
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) a[j][k] += row[j] * row[k];
                a[j][d] += row[j] * y[i];
            }
        }
        for (int j = 0; j < d; j++) a[j][j] += 1e-9;
        for (int c = 0; c < d; c++) { // Gauss-Jordan
            int piv = c;
            for (int r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            for (int r = 0; r < d; r++) {
                if (r == c) continue;
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= d; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] beta = new double[d];
        for (int j = 0; j < d; j++) beta[j] = a[j][d] / a[j][j];
        return beta;
    }
}
