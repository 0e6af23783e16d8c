package dev.ingot.kernel.elementwise;

/**
 * Per-token rotary angles, expanded so the SIMD kernel needs no gathers. For pair j (j < nRot/2) with
 * theta_j = pos * base^(-2j / nRot) * freqScale / freqFactors[j] (as ggml_rope_ext; freq factors are
 * Llama-3's long-context scaling, optional):
 * <ul>
 * <li>NORM (adjacent pairs x[2j], x[2j+1]; Llama GGUF): cos[2j] = cos[2j+1] = cos theta_j,
 *     sin[2j] = -sin theta_j, sin[2j+1] = +sin theta_j; out = x cos + swapPairs(x) sin.</li>
 * <li>NEOX (halves x[j], x[j + nRot/2]; Qwen2, GPT-NeoX): cos[j] = cos theta_j, sin[j] = sin theta_j
 *     for j < nRot/2 only.</li>
 * </ul>
 * One instance per thread that fills it; filled once per token and applied to all Q and K heads.
 */
public final class RopeTable {
    public enum Mode { NORM, NEOX }

    private final Mode mode;
    private final int nRot;
    final float[] cos, sin;

    public RopeTable(Mode mode, int nRot) {
        if (nRot <= 0 || (nRot & 1) != 0) throw new IllegalArgumentException("nRot must be even and positive: " + nRot);
        this.mode = mode;
        this.nRot = nRot;
        this.cos = new float[nRot];
        this.sin = new float[nRot];
    }

    public Mode mode() { return mode; }

    public int nRot() { return nRot; }

    /** Fills the angles for position {@code pos}; {@code freqFactors} [nRot/2] or null. */
    public RopeTable fill(int pos, float base, float freqScale, float[] freqFactors) {
        int half = nRot / 2;
        for (int j = 0; j < half; j++) {
            double theta = pos * Math.pow(base, -2.0 * j / nRot) * freqScale;
            if (freqFactors != null) theta /= freqFactors[j];
            float c = (float) Math.cos(theta), s = (float) Math.sin(theta);
            if (mode == Mode.NORM) {
                cos[2 * j] = c; cos[2 * j + 1] = c;
                sin[2 * j] = -s; sin[2 * j + 1] = s;
            } else {
                cos[j] = c; sin[j] = s;
            }
        }
        return this;
    }
}
