package dev.ingot.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.scheduler.FinishReason;
import dev.ingot.runtime.scheduler.SchedulingPolicy;
import dev.ingot.testkit.GoldenLogits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One running sequence at a time: priority order of admission, logprobs, and what close() does to live requests. */
class EngineLifecycleTest {

    @Test
    void priorityOrderLogprobsAndClose() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        try (LoadedModel model = Engines.stories()) {
            Engine engine = Engine.start(model, EngineConfig.builder().maxBatchTokens(16).maxNumSeqs(1).maxModelLen(128)
                    .policy(SchedulingPolicy.PRIORITY).threads(1).warmUp(false).build());
            List<String> order = new CopyOnWriteArrayList<>();
            RequestHandle first = engine.submit(GenerateRequest.tokens(g.promptIds()).id("first").sampling(greedy(30)).build());
            first.result().thenRun(() -> order.add("first"));
            // both wait behind "first"; the smaller priority value is admitted first
            RequestHandle low = engine.submit(GenerateRequest.tokens(g.promptIds()).id("low").priority(5).sampling(greedy(4)).build());
            RequestHandle high = engine.submit(GenerateRequest.tokens(g.promptIds()).id("high").priority(0)
                    .sampling(SamplingParams.builder().maxTokens(4).ignoreEos(true).topLogprobs(3).build()).build());
            low.result().thenRun(() -> order.add("low"));
            high.result().thenRun(() -> order.add("high"));
            GenerationResult h = high.await();
            low.await();
            assertThat(first.await().choices().getFirst().tokenIds()).containsExactly(java.util.Arrays.copyOf(g.generatedIds(), 30));
            assertThat(order).containsExactly("first", "high", "low");

            Choice c = h.choices().getFirst();
            assertThat(c.logprobs()).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(c.logprobs().get(i).token()).isEqualTo(c.tokenIds()[i]);
                assertThat(c.logprobs().get(i).logprob()).isNegative();
                assertThat(c.logprobs().get(i).topLogprobs()).hasSize(3);
                assertThat(c.logprobs().get(i).topLogprobs().getFirst().token()).as("greedy picks the top token").isEqualTo(c.tokenIds()[i]);
            }
            assertThat(h.usage().cachedPromptTokens()).as("a 5-token prompt fills no block").isZero();

            // close(): a running and a waiting request end with ABORT; nothing more is accepted
            RequestHandle running = engine.submit(GenerateRequest.tokens(g.promptIds()).sampling(greedy(100)).build());
            RequestHandle waiting = engine.submit(GenerateRequest.tokens(g.promptIds()).sampling(greedy(100)).build());
            assertThat(running.next()).isNotNull();
            engine.close();
            assertThat(running.await().choices().getFirst().finishReason()).isEqualTo(FinishReason.ABORT);
            assertThat(waiting.await().choices().getFirst().finishReason()).isEqualTo(FinishReason.ABORT);
            assertThat(waiting.await().choices().getFirst().tokenIds()).isEmpty();
            assertThatThrownBy(() -> engine.submit(GenerateRequest.tokens(1).build())).isInstanceOf(IllegalStateException.class);
            assertThat(engine.stats().liveRequests()).isZero();
            engine.close(); // idempotent
        }
    }

    private static SamplingParams greedy(int maxTokens) {
        return SamplingParams.builder().maxTokens(maxTokens).ignoreEos(true).build();
    }
}
