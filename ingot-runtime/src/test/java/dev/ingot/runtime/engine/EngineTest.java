package dev.ingot.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.scheduler.FinishReason;
import dev.ingot.testkit.GoldenLogits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on stories260K: llama.cpp's greedy output, batching invariance, n > 1, stops, cancel, validation. */
class EngineTest {
    static LoadedModel model;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        model = Engines.stories();
        engine = Engine.start(model, EngineConfig.builder().maxBatchTokens(64).maxNumSeqs(16).maxModelLen(256).threads(2).build());
    }

    @AfterAll
    static void stop() {
        engine.close();
        model.close();
    }

    @Test
    void greedyMatchesLlamaCppAndStreamsTheSameText() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        RequestHandle h = engine.submit(Engines.greedy(g.promptIds(), 64));
        StringBuilder streamed = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (Chunk c : h) {
            streamed.append(c.text());
            for (int t : c.tokenIds()) ids.add(t);
        }
        GenerationResult r = h.await();
        assertThat(r.choices().getFirst().tokenIds()).containsExactly(g.generatedIds());
        assertThat(ids).containsExactly(java.util.Arrays.stream(g.generatedIds()).boxed().toArray(Integer[]::new));
        assertThat(r.text()).isEqualTo(streamed.toString()).isEqualTo(g.detokenized());
        assertThat(r.choices().getFirst().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(new Usage(g.promptIds().length, 64, r.usage().cachedPromptTokens()));
        assertThat(r.timing().timeToFirstToken()).isPositive();
        assertThat(r.timing().interTokenNanos()).hasSize(63);
        Engines.awaitIdle(engine);
    }

    @Test
    void concurrentRequestsGiveTheSameTokensAsEachAlone() throws Exception {
        String[] prompts = {"Once upon a time", "The cat sat", "Lily and Tom went", "One day, a big dog",
                "Sam had a red ball", "The sun was hot", "Mom said", "There was a tree"};
        List<int[]> alone = new ArrayList<>();
        for (String p : prompts) alone.add(engine.submit(textGreedy(p, 24 + p.length())).await().choices().getFirst().tokenIds());
        List<RequestHandle> together = new ArrayList<>();
        for (String p : prompts) together.add(engine.submit(textGreedy(p, 24 + p.length())));
        for (int i = 0; i < prompts.length; i++) {
            assertThat(together.get(i).await().choices().getFirst().tokenIds()).as(prompts[i]).containsExactly(alone.get(i));
        }
        Engines.awaitIdle(engine);
    }

    @Test
    void parallelSamplesAreReproduciblePerSeed() throws Exception {
        GenerateRequest.Builder b = GenerateRequest.text("Once upon a time").n(3);
        List<Choice> first = engine.submit(b.sampling(sampled(42)).build()).await().choices();
        List<Choice> again = engine.submit(b.sampling(sampled(42)).build()).await().choices();
        List<Choice> other = engine.submit(b.sampling(sampled(7)).build()).await().choices();
        assertThat(first).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(first.get(i).index()).isEqualTo(i);
            assertThat(again.get(i).tokenIds()).as("choice %d, same seed", i).containsExactly(first.get(i).tokenIds());
            assertThat(again.get(i).text()).isEqualTo(first.get(i).text());
        }
        assertThat(first.stream().map(Choice::text).distinct()).as("3 choices differ").hasSizeGreaterThan(1);
        assertThat(other.stream().map(Choice::text).toList()).isNotEqualTo(first.stream().map(Choice::text).toList());
        Engines.awaitIdle(engine);
    }

    @Test
    void stopStringEndsTheChoiceAndIsNeverStreamed() throws Exception {
        String all = engine.submit(textGreedy("Once upon a time", 40)).await().text();
        assertThat(all).contains("Lily");
        List<String> pieces = new CopyOnWriteArrayList<>();
        RequestHandle h = engine.submit(GenerateRequest.text("Once upon a time")
                .sampling(SamplingParams.builder().temperature(0).maxTokens(40).stop("Lily", "zebra").build()).build(),
                c -> pieces.add(c.text()));
        Choice c = h.await().choices().getFirst();
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(c.stopReason()).isEqualTo("Lily");
        assertThat(c.text()).isEqualTo(all.substring(0, all.indexOf("Lily"))).isEqualTo(String.join("", pieces));
        assertThat(pieces).noneMatch(p -> p.contains("L"));
        Engines.awaitIdle(engine);
    }

    @Test
    void cancelMidStreamEndsWithAbortAndFreesBlocks() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        RequestHandle h = engine.submit(Engines.greedy(g.promptIds(), 200));
        int seen = 0;
        for (Chunk c : h) {
            if (++seen == 5) h.cancel();
            if (c.finished()) assertThat(c.finishReason()).isEqualTo(FinishReason.ABORT);
        }
        Choice c = h.await().choices().getFirst();
        assertThat(c.finishReason()).isEqualTo(FinishReason.ABORT);
        assertThat(c.tokenIds().length).isBetween(4, 199);
        // the prefix of what was generated is still llama.cpp's greedy output
        assertThat(c.tokenIds()).startsWith(java.util.Arrays.copyOf(g.generatedIds(), 4));
        Engines.awaitIdle(engine);
    }

    @Test
    void badRequestsAreRejectedUpFrontAndTheEngineKeepsServing() throws Exception {
        int max = engine.maxModelLen();
        assertThatThrownBy(() -> engine.submit(GenerateRequest.tokens().build())).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> engine.submit(Engines.greedy(new int[] {1, 99999}, 4))).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> engine.submit(Engines.greedy(new int[max], 4))).hasMessageContaining("maximum context length is " + max);
        assertThatThrownBy(() -> engine.submit(Engines.greedy(new int[] {1, 403}, max - 1)))
                .hasMessageContaining("you requested " + (max + 1));
        assertThatThrownBy(() -> engine.submit(GenerateRequest.tokens(1).n(17).build())).hasMessageContaining("exceeds maxNumSeqs");
        assertThatThrownBy(() -> SamplingParams.builder().topP(0).build()).hasMessageContaining("top_p");
        // the default (unlimited) maxTokens is clipped to the room left: generation ends at the context with LENGTH
        int[] prompt = new int[max - 3];
        prompt[0] = 1;
        GenerationResult r = engine.submit(GenerateRequest.tokens(prompt)
                .sampling(SamplingParams.builder().ignoreEos(true).build()).build()).await();
        assertThat(r.usage().completionTokens()).isEqualTo(3);
        assertThat(r.choices().getFirst().finishReason()).isEqualTo(FinishReason.LENGTH);
        RequestHandle live = engine.submit(GenerateRequest.tokens(1, 403).id("dup")
                .sampling(SamplingParams.builder().ignoreEos(true).maxTokens(100).build()).build());
        assertThatThrownBy(() -> engine.submit(GenerateRequest.tokens(1).id("dup").build())).hasMessageContaining("already live");
        live.cancel();
        live.await();
        GoldenLogits g = Engines.onceUponATime();
        assertThat(engine.submit(Engines.greedy(g.promptIds(), 16)).await().choices().getFirst().tokenIds())
                .containsExactly(java.util.Arrays.copyOf(g.generatedIds(), 16));
        Engines.awaitIdle(engine);
    }

    private static GenerateRequest textGreedy(String prompt, int maxTokens) {
        return GenerateRequest.text(prompt).sampling(SamplingParams.builder().temperature(0).maxTokens(maxTokens).build()).build();
    }

    private static SamplingParams sampled(long seed) {
        return SamplingParams.builder().temperature(1.0).topK(40).seed(seed).maxTokens(24).build();
    }
}
