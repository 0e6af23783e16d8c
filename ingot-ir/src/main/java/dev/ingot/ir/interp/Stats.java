package dev.ingot.ir.interp;

import java.util.Locale;

/** Summary of a tensor for traces and failure messages: min, max, mean, rms, count of NaN/inf. */
public record Stats(double min, double max, double mean, double rms, long nonFinite) {
    public static Stats of(Tensor t) {
        if (t.dtype().isQuantized()) return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sq = 0;
        long bad = 0, n = t.numel();
        for (long i = 0; i < n; i++) {
            double v = t.getDouble(i);
            if (!Double.isFinite(v)) { bad++; continue; }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sq += v * v;
        }
        long k = Math.max(1, n - bad);
        return new Stats(min, max, sum / k, Math.sqrt(sq / k), bad);
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "min=%.6g max=%.6g mean=%.6g rms=%.6g%s", min, max, mean, rms, nonFinite > 0 ? " nonfinite=" + nonFinite : "");
    }
}
