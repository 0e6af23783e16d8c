package dev.ingot.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.scheduler.FinishReason;
import dev.ingot.runtime.scheduler.SchedulerOutput;
import dev.ingot.runtime.scheduler.ScheduledSeq;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine under a small KV pool (16 blocks of 16 tokens: two full 128-token contexts) so that admission
 * waits and preemption really happen: random cancellation without leaks, floods that queue, failures that stay
 * confined to their requests.
 */
class EngineStressTest {
    static LoadedModel model;
    static Engine engine;
    static final AtomicInteger listenerFinished = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        model = Engines.stories();
        engine = Engine.start(model, EngineConfig.builder().maxBatchTokens(32).maxNumSeqs(8).maxModelLen(128).kvBlocks(16)
                .threads(2).build(), new EngineListener() {
                    @Override
                    public void onRequestFinished(String id, GenerationResult result, Throwable error) {
                        listenerFinished.incrementAndGet();
                    }
                });
    }

    @AfterAll
    static void stop() {
        engine.close();
        model.close();
    }

    @Test
    void thousandRandomlyCancelledStreamsLeaveEveryBlockFree() throws Exception {
        long seed = Seeds.seed("engine-1000-cancelled-streams");
        String[] words = {"", " Lily", " the dog", " a big red ball", " Tom and Sue went to the park", " Mom"};
        AtomicInteger cancelled = new AtomicInteger(), completed = new AtomicInteger();
        long preemptionsBefore = engine.stats().preemptions();
        int listenedBefore = listenerFinished.get();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> jobs = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            Random r = new Random(seed + client);
            jobs.add(clients.submit(() -> {
                for (int i = 0; i < 125; i++) {
                    // many prompts share the "Once upon a time, there was" prefix (prefix-cache hits and shared blocks)
                    String prompt = (r.nextInt(4) > 0 ? "Once upon a time, there was" : "The cat") + words[r.nextInt(words.length)];
                    SamplingParams sp = SamplingParams.builder().temperature(r.nextBoolean() ? 0 : 0.8).seed(r.nextLong())
                            .maxTokens(1 + r.nextInt(r.nextInt(4) == 0 ? 64 : 16)).ignoreEos(r.nextBoolean()).build();
                    GenerateRequest req = GenerateRequest.text(prompt).n(1 + (r.nextInt(5) == 0 ? 1 : 0)).sampling(sp).build();
                    int cancelAt = r.nextInt(3) == 0 ? -1 : r.nextInt(12); // -1: never; 0: right after submit
                    boolean pull = r.nextBoolean();
                    AtomicInteger chunks = new AtomicInteger();
                    RequestHandle[] self = new RequestHandle[1];
                    AtomicBoolean ready = new AtomicBoolean();
                    RequestHandle h = pull ? engine.submit(req) : engine.submit(req, c -> {
                        // callbacks run on the engine thread: cancelling from there must work too
                        if (chunks.incrementAndGet() == cancelAt && ready.get()) self[0].cancel();
                    });
                    self[0] = h;
                    ready.set(true);
                    if (cancelAt == 0) h.cancel();
                    if (pull) {
                        for (Chunk c : h) if (chunks.incrementAndGet() == cancelAt) h.cancel();
                    }
                    GenerationResult res = h.await();
                    if (res.choices().stream().anyMatch(c -> c.finishReason() == FinishReason.ABORT)) cancelled.incrementAndGet();
                    else completed.incrementAndGet();
                    if (r.nextInt(4) == 0) Thread.sleep(0, r.nextInt(500_000));
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) f.get();
        clients.shutdown();
        EngineStats s = Engines.awaitIdle(engine);
        // preemptions depend on timing (how many streams are in flight), so they are reported, not asserted here;
        // the flood test below forces them
        System.out.println("[engine-stress] cancelled=" + cancelled + " completed=" + completed
                + " preemptions=" + (s.preemptions() - preemptionsBefore) + " " + s);
        assertThat(listenerFinished.get() - listenedBefore).as("listener calls").isEqualTo(1000);
        assertThat(s.finishedRequests() + s.abortedRequests()).isGreaterThanOrEqualTo(1000);
        assertThat(cancelled.get()).isGreaterThan(100);
        assertThat(completed.get()).isGreaterThan(100);
        assertThat(s.prefixCacheHitRate()).as("shared prefixes hit the cache").isGreaterThan(0);
        assertStillServesGolden();
    }

    @Test
    void floodBeyondKvCapacityQueuesAndEveryRequestCompletes() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        int[] alone = engine.submit(Engines.greedy(g.promptIds(), 100)).await().choices().getFirst().tokenIds();
        List<RequestHandle> flood = new ArrayList<>();
        int maxWaiting = 0;
        // 20 requests x 105 tokens of context = 7 blocks each; the pool holds 16 blocks
        for (int i = 0; i < 20; i++) flood.add(engine.submit(Engines.greedy(g.promptIds(), 100)));
        for (RequestHandle h : flood) {
            maxWaiting = Math.max(maxWaiting, engine.stats().waitingSeqs());
            Choice c = h.await().choices().getFirst();
            assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(c.tokenIds()).as(h.id()).containsExactly(alone);
        }
        assertThat(maxWaiting).as("requests waited for KV blocks").isPositive();
        assertThat(engine.stats().preemptions()).as("growing sequences were preempted and recomputed").isPositive();
        Engines.awaitIdle(engine);
    }

    @Test
    void failuresStayWithTheirRequestsAndTheEngineKeepsServing() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        int[] alone = engine.submit(Engines.greedy(g.promptIds(), 40)).await().choices().getFirst().tokenIds();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        engine.loop().faults = new EngineLoop.Faults() {
            @Override
            public void beforeSample(ScheduledSeq s) {
                if (s.requestId().equals("poison") && s.numComputedTokens() > 8) throw new IllegalStateException("injected sampler fault");
            }
        };
        try {
            RequestHandle good = engine.submit(Engines.greedy(g.promptIds(), 40));
            RequestHandle poison = engine.submit(GenerateRequest.tokens(g.promptIds()).id("poison")
                    .sampling(SamplingParams.builder().maxTokens(40).ignoreEos(true).build()).build());
            RequestHandle throwingCallback = engine.submit(Engines.greedy(g.promptIds(), 40), c -> {
                seen.add(c.text());
                throw new RuntimeException("client went away");
            });
            assertThatThrownBy(poison::await).isInstanceOf(RequestFailedException.class).hasMessageContaining("injected sampler fault");
            assertThatThrownBy(() -> { while (poison.next() != null) { } }).isInstanceOf(RequestFailedException.class);
            assertThat(good.await().choices().getFirst().tokenIds()).containsExactly(alone);
            assertThat(throwingCallback.await().choices().getFirst().finishReason()).isEqualTo(FinishReason.ABORT);
            assertThat(seen).hasSize(1);

            // a failing forward pass fails the requests of that step only; their blocks never enter the prefix cache
            AtomicBoolean armed = new AtomicBoolean(true);
            engine.loop().faults = new EngineLoop.Faults() {
                @Override
                public void beforeForward(SchedulerOutput out) {
                    if (out.seqs().stream().anyMatch(s -> s.numComputedTokens() > 20) && armed.getAndSet(false)) {
                        throw new IllegalStateException("injected forward fault");
                    }
                }
            };
            List<RequestHandle> hit = new ArrayList<>();
            for (int i = 0; i < 3; i++) hit.add(engine.submit(Engines.greedy(g.promptIds(), 40)));
            int failed = 0;
            for (RequestHandle h : hit) {
                try {
                    assertThat(h.await().choices().getFirst().tokenIds()).containsExactly(alone);
                } catch (RequestFailedException e) {
                    assertThat(e).hasMessageContaining("injected forward fault");
                    failed++;
                }
            }
            assertThat(failed).isPositive();
            assertThat(engine.stats().failedRequests()).isGreaterThanOrEqualTo(1 + failed);
        } finally {
            engine.loop().faults = new EngineLoop.Faults() {};
        }
        Engines.awaitIdle(engine);
        assertThat(engine.submit(Engines.greedy(g.promptIds(), 40)).await().choices().getFirst().tokenIds()).containsExactly(alone);
        Engines.awaitIdle(engine);
    }

    private static void assertStillServesGolden() throws Exception {
        GoldenLogits g = Engines.onceUponATime();
        int[] got = engine.submit(Engines.greedy(g.promptIds(), 64)).await().choices().getFirst().tokenIds();
        assertThat(got).containsExactly(Arrays.copyOf(g.generatedIds(), 64));
        Engines.awaitIdle(engine);
    }
}
