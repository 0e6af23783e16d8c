package dev.ingot.codegen.jvm;

/** Double-precision references for tests. */
final class Reference {
    private Reference() {}

    /**
     * erf by its Maclaurin series {@code 2/sqrt(pi) * sum (-1)^k x^(2k+1) / (k! (2k+1))}, exact to ~1e-9
     * for |x| < 5 (terms peak near e^(x^2), well inside double range); erf(x) = sign(x) beyond
     * (1 - erf(5) < 2e-12).
     */
    static double erf(double x) {
        if (Math.abs(x) >= 5) return Math.signum(x);
        double term = x, sum = x;
        for (int k = 1; k < 200; k++) {
            term *= -x * x / k;
            double add = term / (2 * k + 1);
            sum += add;
            if (Math.abs(add) < 1e-17) break;
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
