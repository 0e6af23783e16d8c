package dev.ingot.model.quant;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our quantisers against llama.cpp's own output: tiny-llama-spm-F32.gguf holds the float weights, the other
 * tiny-llama-spm files the same weights written by llama-quantize (Q4_K_M mixes Q4_K and Q6_K). Quantising
 * each F32 tensor to the type found in the quantised file must reproduce its bytes exactly.
 */
class LlamaCppQuantParityTest {

    static GgufFile f32;

    @BeforeAll
    static void open() throws IOException {
        f32 = GgufFile.open(SharedData.model("tiny-llama-spm-F32.gguf"));
    }

    @AfterAll
    static void close() {
        f32.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"F16, F16", "Q8_0, Q8_0", "Q4_0, Q4_0", "Q6_K, Q6_K", "Q4_K_M, Q4_K Q6_K"})
    void quantisingTheF32WeightsReproducesLlamaQuantize(String file, String expectedTypes) throws IOException {
        Set<DType> seen = EnumSet.noneOf(DType.class);
        int compared = 0;
        try (GgufFile q = GgufFile.open(SharedData.model("tiny-llama-spm-" + file + ".gguf"))) {
            for (GgufTensorInfo t : q.tensors()) {
                GgufTensorInfo src = f32.tensor(t.name()).orElseThrow(() -> new AssertionError("F32 file lacks " + t.name()));
                assertThat(src.type()).as(t.name()).isEqualTo(DType.F32);
                assertThat(src.ne()).as(t.name()).isEqualTo(t.ne());
                int n0 = Math.toIntExact(t.ne()[0]);
                int rows = Math.toIntExact(t.bytes() / t.type().rowBytes(n0));
                float[] x = Dequant.all(DType.F32, f32.data(src), 0, n0 * rows);
                byte[] want = q.data(t).toArray(ValueLayout.JAVA_BYTE);
                int rb = Math.toIntExact(t.type().rowBytes(n0));
                byte[] got = new byte[want.length];
                for (int r = 0; r < rows; r++) Quantize.row(t.type(), x, r * n0, n0, got, r * rb);
                int first = java.util.Arrays.mismatch(want, got);
                assertThat(first).as("%s %s %s: first differing byte %d (row %d, block %d of the row)", file, t.name(),
                        t.type(), first, first / rb, (first % rb) / t.type().blockBytes()).isEqualTo(-1);
                seen.add(t.type());
                compared++;
            }
        }
        for (String e : expectedTypes.split(" ")) assertThat(seen).as("types in " + file).contains(DType.valueOf(e));
        assertThat(compared).isGreaterThan(10);
    }
}
