package dev.ingot.tune.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Least-squares gradient-boosted regression trees (Friedman's stochastic gradient boosting): each tree fits
 * the residuals of the ensemble so far on a random subsample of the rows, and is added with a shrinkage
 * factor. Splits are found on histograms: every feature is cut into at most {@link Options#bins} bins at
 * quantiles of its training values (schedule features take few distinct values, so this is usually exact),
 * and a node's best split is one pass over the bins' sums. Deterministic for a given seed.
 *
 * <p>Own implementation, not a library's: see {@code package-info.java} for why. Model: x [n, d] -> y [n].
 */
public final class GradientBoostedTrees {
    /** Hyper-parameters; the defaults suit a few hundred to a few thousand rows of ~20 features. */
    public record Options(int trees, int maxDepth, int minLeaf, double shrinkage, double subsample, int bins) {
        public static Options defaults() { return new Options(150, 4, 3, 0.1, 0.8, 64); }
    }

    private final double base;
    private final Tree[] trees;
    private final double shrinkage;

    private GradientBoostedTrees(double base, Tree[] trees, double shrinkage) {
        this.base = base;
        this.trees = trees;
        this.shrinkage = shrinkage;
    }

    /** One tree in flat arrays; node 0 is the root, a leaf has feature -1. */
    private record Tree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
        double predict(double[] x) {
            int n = 0;
            while (feature[n] >= 0) n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
            return value[n];
        }
    }

    public static GradientBoostedTrees fit(double[][] x, double[] y, Options o, long seed) {
        int n = y.length;
        if (n == 0 || x.length != n) throw new IllegalArgumentException("need matching, non-empty x and y: " + x.length + " vs " + n);
        int d = x[0].length;
        double[][] cuts = new double[d][];
        int[][] bin = new int[d][n];
        for (int f = 0; f < d; f++) {
            cuts[f] = cuts(x, f, o.bins());
            for (int i = 0; i < n; i++) bin[f][i] = binOf(cuts[f], x[i][f]);
        }
        double base = Arrays.stream(y).average().orElse(0);
        double[] pred = new double[n];
        Arrays.fill(pred, base);
        double[] residual = new double[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        Tree[] trees = new Tree[o.trees()];
        for (int t = 0; t < o.trees(); t++) {
            for (int i = 0; i < n; i++) residual[i] = y[i] - pred[i];
            int[] rows = sample(n, o.subsample(), rnd);
            TreeBuilder b = new TreeBuilder(bin, cuts, residual, o);
            b.grow(rows, 0);
            trees[t] = b.build();
            for (int i = 0; i < n; i++) pred[i] += o.shrinkage() * trees[t].predict(x[i]);
        }
        return new GradientBoostedTrees(base, trees, o.shrinkage());
    }

    public double predict(double[] x) {
        double s = base;
        for (Tree t : trees) s += shrinkage * t.predict(x);
        return s;
    }

    /** Split points between bins: midpoints between consecutive distinct values, or between quantiles when there are too many. */
    private static double[] cuts(double[][] x, int f, int bins) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) v[i] = x[i][f];
        Arrays.sort(v);
        double[] distinct = Arrays.stream(v).distinct().toArray();
        if (distinct.length <= bins) {
            double[] c = new double[Math.max(0, distinct.length - 1)];
            for (int i = 0; i < c.length; i++) c[i] = (distinct[i] + distinct[i + 1]) / 2;
            return c;
        }
        return java.util.stream.IntStream.range(1, bins).mapToDouble(q -> v[(int) ((long) q * v.length / bins)]).distinct().toArray();
    }

    /** Index of the first cut >= v: values <= cut[b] fall in bin b. */
    private static int binOf(double[] cuts, double v) {
        int i = Arrays.binarySearch(cuts, v);
        return i >= 0 ? i : -i - 1;
    }

    private static int[] sample(int n, double fraction, SplittableRandom rnd) {
        int[] all = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) if (fraction >= 1 || rnd.nextDouble() < fraction) all[m++] = i;
        if (m == 0) all[m++] = rnd.nextInt(n);
        return Arrays.copyOf(all, m);
    }

    /** Grows one tree depth-first into growable flat arrays. */
    private static final class TreeBuilder {
        private final int[][] bin;
        private final double[][] cuts;
        private final double[] r;
        private final Options o;
        private int size;
        private int[] feature = new int[16], left = new int[16], right = new int[16];
        private double[] threshold = new double[16], value = new double[16];

        TreeBuilder(int[][] bin, double[][] cuts, double[] r, Options o) {
            this.bin = bin;
            this.cuts = cuts;
            this.r = r;
            this.o = o;
        }

        int grow(int[] rows, int depth) {
            int node = newNode();
            double sum = 0;
            for (int i : rows) sum += r[i];
            value[node] = sum / rows.length;
            feature[node] = -1;
            if (depth >= o.maxDepth() || rows.length < 2 * o.minLeaf()) return node;
            // best split: maximise sL^2/nL + sR^2/nR (the SSE reduction up to a constant)
            double bestGain = sum * sum / rows.length + 1e-12;
            int bestF = -1, bestB = -1;
            for (int f = 0; f < bin.length; f++) {
                int nb = cuts[f].length + 1;
                if (nb < 2) continue;
                double[] s = new double[nb];
                int[] c = new int[nb];
                for (int i : rows) { s[bin[f][i]] += r[i]; c[bin[f][i]]++; }
                double sl = 0;
                int cl = 0;
                for (int b = 0; b < nb - 1; b++) {
                    sl += s[b];
                    cl += c[b];
                    int cr = rows.length - cl;
                    if (cl < o.minLeaf() || cr < o.minLeaf()) continue;
                    double g = sl * sl / cl + (sum - sl) * (sum - sl) / cr;
                    if (g > bestGain) { bestGain = g; bestF = f; bestB = b; }
                }
            }
            if (bestF < 0) return node;
            int f = bestF, cut = bestB;
            int[] l = Arrays.stream(rows).filter(i -> bin[f][i] <= cut).toArray();
            int[] rr = Arrays.stream(rows).filter(i -> bin[f][i] > cut).toArray();
            feature[node] = f;
            threshold[node] = cuts[f][cut];
            int ln = grow(l, depth + 1);
            left[node] = ln;
            int rn = grow(rr, depth + 1);
            right[node] = rn;
            return node;
        }

        private int newNode() {
            if (size == feature.length) {
                int m = size * 2;
                feature = Arrays.copyOf(feature, m); left = Arrays.copyOf(left, m); right = Arrays.copyOf(right, m);
                threshold = Arrays.copyOf(threshold, m); value = Arrays.copyOf(value, m);
            }
            return size++;
        }

        Tree build() {
            return new Tree(Arrays.copyOf(feature, size), Arrays.copyOf(threshold, size), Arrays.copyOf(left, size),
                    Arrays.copyOf(right, size), Arrays.copyOf(value, size));
        }
    }
}
