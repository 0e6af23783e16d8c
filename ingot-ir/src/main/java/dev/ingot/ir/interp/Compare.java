package dev.ingot.ir.interp;

import java.util.Arrays;
import java.util.Locale;

/**
 * Numerical comparison of an implementation's tensor against the interpreter's (the reference), for
 * differential tests. NMSE = sum((a - ref)²) / sum(ref²), as llama.cpp's test-backend-ops (default bound 1e-7);
 * NaN/inf must appear at the same positions. Reports name the value, shape and worst element.
 */
public final class Compare {
    private Compare() {}

    /** Summary of the differences between {@code actual} and {@code reference}. */
    public record Diff(double nmse, double maxAbs, long worstIndex, float worstActual, float worstReference, long nonFiniteMismatches) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "nmse=%.3g maxAbs=%.3g at %d (%s vs reference %s)%s", nmse, maxAbs, worstIndex,
                    worstActual, worstReference, nonFiniteMismatches > 0 ? " nonFiniteMismatches=" + nonFiniteMismatches : "");
        }
    }

    public static Diff diff(float[] actual, float[] reference) {
        if (actual.length != reference.length) {
            throw new IllegalArgumentException("lengths differ: " + actual.length + " vs reference " + reference.length);
        }
        double err = 0, norm = 0, maxAbs = 0;
        long worst = -1, bad = 0;
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i], r = reference[i];
            if (!Float.isFinite(r) || !Float.isFinite(a)) {
                if (Float.compare(a, r) != 0) bad++; // same NaN/inf required
                continue;
            }
            double d = (double) a - r;
            err += d * d;
            norm += (double) r * r;
            if (Math.abs(d) > maxAbs || worst < 0) {
                maxAbs = Math.max(maxAbs, Math.abs(d));
                worst = i;
            }
        }
        double nmse = norm == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / norm;
        int w = (int) Math.max(worst, 0);
        return new Diff(nmse, maxAbs, worst, actual.length == 0 ? 0 : actual[w], reference.length == 0 ? 0 : reference[w], bad);
    }

    /**
     * @throws AssertionError naming {@code what} and the shape when NMSE exceeds {@code maxNmse} or non-finite
     *     values differ
     */
    public static void assertNmse(String what, Tensor actual, Tensor reference, double maxNmse) {
        if (!Arrays.equals(actual.shape(), reference.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + " vs reference " + Arrays.toString(reference.shape()));
        }
        Diff d = diff(actual.floatsForRead(), reference.floatsForRead());
        if (!(d.nmse() <= maxNmse) || d.nonFiniteMismatches() > 0) {
            throw new AssertionError(what + " " + actual + ": " + d + " exceeds nmse bound " + maxNmse);
        }
    }
}
