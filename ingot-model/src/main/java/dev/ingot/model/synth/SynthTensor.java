package dev.ingot.model.synth;

import dev.ingot.tensor.DType;

/**
 * One tensor of a synthetic model.
 *
 * @param ne    GGUF-order dimensions ({@code ne[0]} = row length)
 * @param init  how its values are drawn
 * @param index position in the file; seeds the tensor's random streams
 */
public record SynthTensor(String name, long[] ne, DType type, Init init, int index) {

    /** Value distributions (weights N(0,1)*0.02, norms 1+N*0.05, biases N*0.1; rope factors are computed). */
    public enum Init {
        WEIGHT(0f, 0.02f), NORM(1f, 0.05f), BIAS(0f, 0.1f), ROPE_FREQS(0f, 0f);

        public final float mean;
        public final float std;

        Init(float mean, float std) {
            this.mean = mean;
            this.std = std;
        }
    }

    public long rowLength() { return ne[0]; }

    public long rows() {
        long r = 1;
        for (int i = 1; i < ne.length; i++) r *= ne[i];
        return r;
    }

    public long bytes() { return type.rowBytes(ne[0]) * rows(); }
}
