package dev.ingot.model.synth;

import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.model.arch.Architectures;
import dev.ingot.model.arch.ModelGraph;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.tensor.DType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.ingot.model.arch.ForwardSignature.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synthetic files are real models to the rest of Ingot: the architecture builders accept their metadata and
 * tensors, and one forward step on the reference interpreter yields finite logits over the vocabulary.
 */
class SynthRunsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny-llama, Q8_0", "tiny-llama3, Q4_0", "tiny-qwen2, F16"})
    void buildsAndRunsOneStep(String preset, String type) throws IOException {
        SynthConfig c = Presets.get(preset);
        Path out = dir.resolve(preset + ".gguf");
        SynthWriter.write(SynthModel.create(c, DType.valueOf(type), 11, preset, null), out, 2, d -> {});
        try (GgufFile f = GgufFile.open(out)) {
            int bs = 16;
            ModelGraph mg = Architectures.build(f, bs);
            Map<String, Tensor> in = new HashMap<>();
            for (int l = 0; l < c.layers(); l++) {
                in.put(kCache(l), Tensor.zeros(DType.F32, 1, bs, c.kvHeads(), c.headDim()));
                in.put(vCache(l), Tensor.zeros(DType.F32, 1, bs, c.kvHeads(), c.headDim()));
            }
            int[] tokens = {1, 72, 105};
            in.put(TOKENS, Tensor.i32(tokens, 3));
            in.put(POSITIONS, Tensor.i32(new int[] {0, 1, 2}, 3));
            in.put(TOKEN_SEQ, Tensor.i32(new int[3], 3));
            in.put(BLOCK_TABLES, Tensor.i32(new int[] {0}, 1, 1));
            in.put(SEQ_LENS, Tensor.i32(new int[] {3}, 1));
            in.put(SLOTS, Tensor.i32(new int[] {0, 1, 2}, 3));
            in.put(LOGIT_ROWS, Tensor.i32(new int[] {2}, 1));
            float[] logits = Interpreter.run(mg.graph(), in).output(0).floats();
            assertThat(logits).hasSize(c.vocab());
            for (float v : logits) assertThat(Float.isFinite(v)).isTrue();
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : logits) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(max - min).as("logit spread").isGreaterThan(1e-4f);
        }
    }
}
