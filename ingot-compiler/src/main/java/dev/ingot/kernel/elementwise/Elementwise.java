package dev.ingot.kernel.elementwise;

/**
 * The elementwise / normalisation baseline the code generator can call (it may also emit fused versions).
 * All operate on {@code float[]} + offsets (arena arrays); {@code out} may alias the input (same offset).
 * Implementations: {@link VectorElementwise} (SIMD) and {@link ScalarElementwise} (twin); pick one through
 * {@link dev.ingot.kernel.KernelProvider#elementwise()}.
 */
public interface Elementwise {
    /** out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i], i < n (Llama RMSNorm; w is the F32 norm weight). */
    void rmsNorm(float[] x, int xo, float[] w, int wo, float[] out, int oo, int n, float eps);

    /** out[i] = silu(gate[i]) * up[i] = gate / (1 + exp(-gate)) * up (SwiGLU). */
    void swiglu(float[] gate, int go, float[] up, int uo, float[] out, int oo, int n);

    /** out[i] = a[i] + b[i] (residual add). */
    void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** In-place numerically stable softmax of x[xo .. xo + n). */
    void softmax(float[] x, int xo, int n);

    /**
     * Rotary embedding, in place, of {@code nHeads} heads of {@code headDim} floats at {@code x[xo..]}
     * ([nHeads, headDim]); the first {@code table.nRot()} dims of each head rotate, the rest pass through.
     * The table holds this token's angles ({@link RopeTable#fill}).
     */
    void rope(float[] x, int xo, int nHeads, int headDim, RopeTable table);
}
