package dev.ingot.model.config;

/**
 * Rope frequency scaling for long context.
 *
 * @param type                  NONE, LINEAR (positions divided by factor), YARN, or LLAMA3 (per-frequency factors)
 * @param factor                overall scale factor (1 for NONE)
 * @param lowFreqFactor         LLAMA3 only: wavelengths above {@code originalContextLength / lowFreqFactor} are scaled fully
 * @param highFreqFactor        LLAMA3 only: wavelengths below {@code originalContextLength / highFreqFactor} are not scaled
 * @param originalContextLength context length the model was trained with before scaling (0 when unknown)
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor, int originalContextLength) {
    public enum Type { NONE, LINEAR, YARN, LLAMA3 }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0);

    public RopeScaling {
        if (!(factor > 0)) throw new IllegalArgumentException("rope scaling factor must be positive: " + factor);
        if (type == Type.LLAMA3 && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0 && originalContextLength > 0)) {
            throw new IllegalArgumentException("llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor and an original context length: " + this);
        }
    }

    /**
     * The Llama-3.1 per-frequency divisors ({@code rope_freqs.weight} in GGUF; llama.cpp divides frequency
     * {@code i} by entry {@code i}), one per rotated pair: {@code ropeDim / 2} values. Computed in float
     * arithmetic like llama.cpp's converter so the values match files it wrote.
     */
    public float[] llama3Factors(int ropeDim, double theta) {
        if (type != Type.LLAMA3) throw new IllegalStateException("not llama3 rope scaling: " + type);
        float[] out = new float[ropeDim / 2];
        double lowWavelen = originalContextLength / lowFreqFactor;
        double highWavelen = originalContextLength / highFreqFactor;
        for (int i = 0; i < out.length; i++) {
            // freq = 1 / theta^(2i/dim), evaluated in float32 as torch does in the converter
            float freq = (float) (1.0 / Math.pow((float) theta, (float) (2 * i) / ropeDim));
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                out[i] = 1;
            } else if (wavelen > lowWavelen) {
                out[i] = (float) factor;
            } else {
                double smooth = (originalContextLength / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                out[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return out;
    }
}
