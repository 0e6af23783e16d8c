package dev.ingot.kernel.gemm;

/**
 * Scalar twin of {@link VectorGemm} on the same packed layout: per output the same in-order {@code Math.fma} chain
 * over k, so its results equal the vector kernel's bit for bit. Runs where the Vector API is off
 * ({@code -Dingot.kernels=scalar}) and is the oracle in tests.
 */
final class ScalarGemm {
    private ScalarGemm() {}

    /** Rows {@code [r0, r1)} of C for panel {@code p} (arguments as {@link VectorGemm#panel}). */
    static void panel(float[] a, int aOff, int lda, PackedB b, int p, int k0, int k1, float[] c, int cOff, int ldc, int r0, int r1) {
        int nr = b.nr, bo = p * b.k * nr, cols = Math.min(nr, b.n - p * nr);
        float[] acc = new float[nr], w = b.heap();
        for (int r = r0; r < r1; r++) {
            // continue the chains of an earlier k block from C, as the vector tiles do
            if (k0 == 0) java.util.Arrays.fill(acc, 0f);
            else System.arraycopy(c, cOff + r * ldc + p * nr, acc, 0, cols);
            int ao = aOff + r * lda;
            for (int i = k0; i < k1; i++) {
                float x = a[ao + i];
                int wo = bo + i * nr;
                for (int j = 0; j < cols; j++) acc[j] = Math.fma(x, w[wo + j], acc[j]);
            }
            System.arraycopy(acc, 0, c, cOff + r * ldc + p * nr, cols);
        }
    }
}
