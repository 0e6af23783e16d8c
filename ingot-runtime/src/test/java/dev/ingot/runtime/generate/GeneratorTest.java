package dev.ingot.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Greedy generation through the compiled model against llama.cpp's, plus stop handling and bad input. */
class GeneratorTest {
    static WorkerPool pool;
    static LoadedModel stories;

    @BeforeAll
    static void open() throws Exception {
        pool = new WorkerPool(2);
        stories = LoadedModel.open(SharedData.model("stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        stories.close();
        pool.close();
    }

    @Test
    void greedyMatchesLlamaCppForAllGoldenPrompts() {
        for (var path : GoldenLogits.all()) {
            GoldenLogits g = GoldenLogits.read(path);
            if (!g.modelFile().equals("stories260K.gguf")) continue;
            try (Generator gen = new Generator(stories, pool, 256, 64)) {
                int[] prompt = stories.tokenizer().encode(g.prompt(), true, true);
                assertThat(prompt).as("tokenisation of " + g.prompt()).containsExactly(g.promptIds());
                List<String> pieces = new ArrayList<>();
                Generation out = gen.generate(prompt, SamplingParams.builder().temperature(0).maxTokens(g.generatedIds().length)
                        .ignoreEos(true).build(), pieces::add);
                assertThat(out.tokens()).as(g.file()).containsExactly(g.generatedIds());
                assertThat(String.join("", pieces)).isEqualTo(out.text());
                assertThat(out.finishReason()).isEqualTo("length");
            }
        }
    }

    @Test
    void stopStringEndsGenerationAndIsNotEmitted() {
        try (Generator gen = new Generator(stories, pool, 256, 64)) {
            int[] prompt = stories.tokenizer().encode("Once upon a time", true, true);
            Generation all = gen.generate(prompt, SamplingParams.builder().temperature(0).maxTokens(40).build(), s -> {});
            assertThat(all.text()).contains("Lily");
            Generation cut = gen.generate(prompt, SamplingParams.builder().temperature(0).maxTokens(40).stop("Lily").build(), s -> {});
            assertThat(cut.finishReason()).isEqualTo("stop");
            assertThat(cut.text()).isEqualTo(all.text().substring(0, all.text().indexOf("Lily")));
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        try (Generator gen = new Generator(stories, pool, 256, 64)) {
            int[] prompt = stories.tokenizer().encode("Lily and Ben", true, true);
            SamplingParams sp = SamplingParams.builder().temperature(1.0).topK(40).topP(0.9).seed(7).maxTokens(30).build();
            assertThat(gen.generate(prompt, sp, s -> {}).tokens()).containsExactly(gen.generate(prompt, sp, s -> {}).tokens());
        }
    }

    @Test
    void promptLongerThanContextIsAClearError() {
        try (Generator gen = new Generator(stories, pool, 32, 16)) {
            int[] prompt = new int[40];
            assertThatThrownBy(() -> gen.generate(prompt, SamplingParams.greedy(), s -> {}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit the context of 32");
        }
    }

    @Test
    void contextLargerThanModelIsRejected() {
        assertThatThrownBy(() -> new Generator(stories, pool, 1 << 20, 16)).hasMessageContaining("context");
    }
}
