package dev.ingot.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.SharedData;

/** Shared helpers of the engine tests: the stories260K golden greedy continuation and waiting for idleness. */
final class Engines {
    private Engines() {}

    static LoadedModel stories() throws Exception {
        return LoadedModel.open(SharedData.model("stories260K.gguf"));
    }

    /** llama.cpp's greedy 64 tokens after "Once upon a time" (EOS not stopping). */
    static GoldenLogits onceUponATime() {
        return GoldenLogits.read(SharedData.golden("logits/stories260K__p1-once-upon-a-time.json"));
    }

    static GenerateRequest greedy(int[] prompt, int maxTokens) {
        return GenerateRequest.tokens(prompt)
                .sampling(SamplingParams.builder().temperature(0).maxTokens(maxTokens).ignoreEos(true).build()).build();
    }

    /**
     * Waits until no request is live and every KV block is free again (the engine publishes its stats after each
     * step, and a cancelled or failed request's blocks are released one step after its handle completed), then
     * asserts the pool is whole.
     */
    static EngineStats awaitIdle(Engine e) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        EngineStats s = e.stats();
        while (System.nanoTime() < deadline) {
            s = e.stats();
            if (s.liveRequests() == 0 && s.runningSeqs() == 0 && s.waitingSeqs() == 0 && s.kvBlocksUsed() == 0) break;
            Thread.sleep(2);
        }
        assertThat(s.liveRequests()).as("live requests").isZero();
        assertThat(s.runningSeqs() + s.waitingSeqs()).as("scheduled sequences").isZero();
        assertThat(s.kvBlocksFree()).as("free KV blocks (" + s + ")").isEqualTo(s.kvBlocksTotal());
        return s;
    }
}
