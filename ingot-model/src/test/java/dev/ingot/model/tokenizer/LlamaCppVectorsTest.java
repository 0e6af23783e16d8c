package dev.ingot.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test vectors ({@code ggml-vocab-*.gguf.inp/.out}, from {@code tests/test-tokenizer-0}):
 * every input must give exactly the listed ids (no BOS; special tokens parsed as llama.cpp's test does).
 * Only llama-spm and gpt-2 ship .inp/.out pairs here; llama-bpe and qwen2 are covered by the golden JSON.
 */
class LlamaCppVectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "gpt-2"})
    void everyVectorMatches(String vocab) throws IOException {
        String inp = Files.readString(SharedData.model("vocab/ggml-vocab-" + vocab + ".gguf.inp"), StandardCharsets.UTF_8);
        List<String> outs = Files.readAllLines(SharedData.model("vocab/ggml-vocab-" + vocab + ".gguf.out"), StandardCharsets.UTF_8);
        String[] inputs = inp.split("\n__ggml_vocab_test__\n", -1);
        // The file ends with a separator-less newline after the last input; llama.cpp's reader drops it.
        List<String> cases = new ArrayList<>(Arrays.asList(inputs));
        if (cases.size() == outs.size() + 1 && cases.getLast().isEmpty()) cases.removeLast();
        assertThat(cases).as("number of inputs vs outputs in %s", vocab).hasSize(outs.size());

        Tokenizer tok = TestVocabs.vocab(vocab);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int[] expected = outs.get(i).isBlank() ? new int[0]
                    : Arrays.stream(outs.get(i).trim().split(" +")).mapToInt(Integer::parseInt).toArray();
            int[] actual = tok.encode(cases.get(i), false, false);
            if (!Arrays.equals(expected, actual)) {
                failures.add("#" + i + " " + escape(cases.get(i)) + "\n   expected " + Arrays.toString(expected)
                        + "\n   actual   " + Arrays.toString(actual));
            }
        }
        assertThat(failures).as("%s: %d of %d vectors differ", vocab, failures.size(), cases.size()).isEmpty();
        System.out.printf("%s: %d/%d llama.cpp vectors match%n", vocab, cases.size(), cases.size());
    }

    static String escape(String s) {
        return "'" + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "'";
    }
}
