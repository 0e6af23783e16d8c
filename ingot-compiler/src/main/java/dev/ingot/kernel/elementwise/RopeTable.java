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
 * One instance per thread that fills it; filled once per token and applied to all Q and K heads. Angles are
 * computed once per position and kept ({@code pow}, {@code cos}, {@code sin} per pair cost ~3 us a token, paid
 * by every rope step of every layer before): a fill for a position seen before is a copy. The kept rows are
 * exactly what the computation gives (same double expression), so results do not change.
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

    // kept angles: row p = cos[nRot] then sin[nRot] of position p, for p < kept, computed with these parameters
    private float keptBase = Float.NaN, keptScale = Float.NaN;
    private float[] keptFactors;
    private double[] invFreq;
    private float[] rows = new float[0];
    private int kept;

    /** Fills the angles for position {@code pos}; {@code freqFactors} [nRot/2] or null. */
    public RopeTable fill(int pos, float base, float freqScale, float[] freqFactors) {
        if (pos < 0) throw new IllegalArgumentException("position " + pos);
        if (Float.compare(base, keptBase) != 0 || Float.compare(freqScale, keptScale) != 0
                || (freqFactors != keptFactors && !java.util.Arrays.equals(freqFactors, keptFactors))) {
            keep(base, freqScale, freqFactors);
        }
        if (pos >= kept) grow(pos + 1);
        System.arraycopy(rows, pos * 2 * nRot, cos, 0, nRot);
        System.arraycopy(rows, pos * 2 * nRot + nRot, sin, 0, nRot);
        return this;
    }

    private void keep(float base, float freqScale, float[] freqFactors) {
        keptBase = base;
        keptScale = freqScale;
        keptFactors = freqFactors == null ? null : freqFactors.clone();
        invFreq = new double[nRot / 2];
        for (int j = 0; j < nRot / 2; j++) invFreq[j] = Math.pow(base, -2.0 * j / nRot);
        kept = 0;
    }

    /** Computes rows [kept, n), growing the store geometrically. */
    private void grow(int n) {
        if ((long) n * 2 * nRot > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("position " + (n - 1) + " too large for the angle table");
        if (rows.length < n * 2 * nRot) {
            rows = java.util.Arrays.copyOf(rows, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max((long) n, 2L * kept + 64) * 2 * nRot));
        }
        int half = nRot / 2;
        for (int p = kept; p < n; p++) {
            int co = p * 2 * nRot, so = co + nRot;
            for (int j = 0; j < half; j++) {
                double theta = p * invFreq[j] * keptScale;
                if (keptFactors != null) theta /= keptFactors[j];
                float c = (float) Math.cos(theta), s = (float) Math.sin(theta);
                if (mode == Mode.NORM) {
                    rows[co + 2 * j] = c; rows[co + 2 * j + 1] = c;
                    rows[so + 2 * j] = -s; rows[so + 2 * j + 1] = s;
                } else {
                    rows[co + j] = c; rows[so + j] = s;
                }
            }
        }
        kept = n;
    }
}
