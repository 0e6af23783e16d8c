package dev.ingot.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model in shared/golden through its architecture builder and the reference interpreter, against
 * llama.cpp's logits: all prompt positions, then the greedy generation teacher-forced with llama.cpp's tokens.
 * Tolerances follow shared/golden/README.md (F32 activations, so quantised models differ by up to ~2e-2).
 */
class GoldenInterpreterTest {

    static List<Path> goldenFiles() { return GoldenLogits.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void logitsMatchLlamaCpp(Path goldenPath) throws Exception {
        GoldenLogits g = GoldenLogits.read(goldenPath);
        try (GgufFile f = GgufFile.open(SharedData.model(g.modelFile()))) {
            ModelGraph m = Architectures.build(f, 16);
            DecoderParams p = m.params();
            double tol = tolerance(g.modelFile());
            int total = g.promptIds().length + g.generatedIds().length;
            InterpreterSession s = new InterpreterSession(m.graph(), p.nLayer(), 16, (total + 15) / 16, p.nHeadKv(), p.headDim());

            float[] prompt = s.feed(g.promptIds(), true);
            assertThat(prompt.length).isEqualTo(g.promptIds().length * g.nVocab());
            for (int i = 0; i < g.positions().size(); i++) {
                compare(g, "position " + i, row(prompt, i, g.nVocab()), g.positions().get(i), tol);
            }
            // Step 0 uses the last prompt position's logits; step k feeds llama.cpp's token k-1.
            for (int k = 1; k < g.steps().size(); k++) {
                float[] logits = s.feed(new int[] {g.generatedIds()[k - 1]}, false);
                compare(g, "generation step " + k, logits, g.steps().get(k), tol);
            }
        }
    }

    private static double tolerance(String modelFile) { return GoldenLogits.tolerance(modelFile); }

    private static float[] row(float[] all, int i, int n) {
        float[] r = new float[n];
        System.arraycopy(all, i * n, r, 0, n);
        return r;
    }

    private static void compare(GoldenLogits g, String where, float[] ours, GoldenLogits.Position want, double tol) {
        g.check(where, ours, want, tol);
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
