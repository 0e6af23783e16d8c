package dev.ingot.model.quant;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dequantisation of llama.cpp-written tensors: every value against {@link NaiveDequant} (a per-element
 * formula written from the block layouts, independent of the codecs' loop structure), and re-quantisation
 * of the dequantised values, which is the identity for Q8_0/Q4_0, near-identity for Q4_K (the scale search
 * may pick another optimum in rare blocks) and not guaranteed for Q6_K (checked by error instead).
 */
class LlamaCppDequantTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Q8_0", "Q4_0", "Q6_K", "Q4_K_M"})
    void dequantMatchesNaiveFormulaAndRequantises(String file) throws IOException {
        try (GgufFile q = GgufFile.open(SharedData.model("tiny-llama-spm-" + file + ".gguf"))) {
            long q4kBlocks = 0, q4kMoved = 0;
            for (GgufTensorInfo t : q.tensors()) {
                if (!t.type().isQuantized()) continue;
                byte[] raw = q.data(t).toArray(ValueLayout.JAVA_BYTE);
                int n = Math.toIntExact(t.bytes() / t.type().blockBytes() * t.type().blockSize());
                float[] y = Dequant.all(t.type(), q.data(t), 0, n);
                for (int i = 0; i < n; i++) {
                    float want = NaiveDequant.value(t.type(), raw, i);
                    if (Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(want)) {
                        throw new AssertionError(file + " " + t.name() + " " + t.type() + " element " + i + ": codec " + y[i] + ", naive " + want);
                    }
                }
                byte[] again = Quantize.all(t.type(), y);
                int bb = t.type().blockBytes();
                switch (t.type()) {
                    case Q8_0, Q4_0 -> assertThat(Arrays.mismatch(raw, again)).as("%s %s requantised", file, t.name()).isEqualTo(-1);
                    case Q4_K -> {
                        for (int b = 0; b < raw.length / bb; b++) {
                            q4kBlocks++;
                            if (!Arrays.equals(raw, b * bb, (b + 1) * bb, again, b * bb, (b + 1) * bb)) q4kMoved++;
                        }
                    }
                    default -> {
                        // Q6_K: the re-quantised tensor must represent the values about as well as the original
                        float[] z = new float[n];
                        Dequant.row(t.type(), again, 0, z, 0, n);
                        double se = 0, ss = 0;
                        for (int i = 0; i < n; i++) {
                            se += (y[i] - z[i]) * (double) (y[i] - z[i]);
                            ss += y[i] * (double) y[i];
                        }
                        assertThat(Math.sqrt(se / ss)).as("%s %s relative RMS change on requantising", file, t.name()).isLessThan(0.02);
                    }
                }
            }
            if (q4kBlocks > 0) {
                // measured: 2 of 5632 Q4_K blocks pick a different (equally good) scale on the second pass
                assertThat((double) q4kMoved / q4kBlocks).as("Q4_K blocks that are not fixed points").isLessThan(0.005);
            }
        }
    }
}
