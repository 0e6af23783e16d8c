package dev.ingot.tune;

import dev.ingot.tensor.DType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tuned schedule is for: kernel family, weight dtype, output rows N, reduction length K and the token
 * bucket T (the program's bound on tokens per call; 1 = decode). Text form, stable and used as the tuning
 * database key: {@code linear:Q8_0:2048x2048:T128}.
 */
public record KernelSignature(String family, DType dtype, int n, int k, int tokens) {
    private static final Pattern TEXT = Pattern.compile("([a-z]+):([A-Z0-9_]+):(\\d+)x(\\d+):T(\\d+)");

    public KernelSignature {
        if (!family.matches("[a-z]+")) throw new IllegalArgumentException("family " + family);
        if (n < 1 || k < 1 || tokens < 1) throw new IllegalArgumentException("shape " + n + "x" + k + " T" + tokens);
    }

    public static KernelSignature linear(DType dtype, int n, int k, int tokens) {
        return new KernelSignature("linear", dtype, n, k, tokens);
    }

    public String text() { return family + ":" + dtype + ":" + n + "x" + k + ":T" + tokens; }

    /** Inverse of {@link #text()}; throws IllegalArgumentException on anything else. */
    public static KernelSignature parse(String s) {
        Matcher m = TEXT.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a kernel signature: " + s);
        return new KernelSignature(m.group(1), DType.valueOf(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
    }

    /** Multiply-adds x 2 of one call. */
    public double flops() { return 2.0 * n * k * tokens; }

    @Override public String toString() { return text(); }
}
