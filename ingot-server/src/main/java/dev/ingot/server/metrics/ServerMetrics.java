package dev.ingot.server.metrics;

import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.EngineListener;
import dev.ingot.runtime.engine.EngineStats;
import dev.ingot.runtime.engine.GenerationResult;
import dev.ingot.runtime.engine.Timing;
import dev.ingot.runtime.scheduler.FinishReason;
import dev.ingot.server.embed.EmbeddingService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters. Create it first, pass it to {@link Engine#start(dev.ingot.runtime.generate.LoadedModel,
 * dev.ingot.runtime.engine.EngineConfig, EngineListener)} as the listener, then {@link #bind(Engine)} the started
 * engine so the gauges can read its stats ({@link dev.ingot.server.IngotServer#start} does that).
 */
public final class ServerMetrics implements EngineListener {
    /** Latency buckets in seconds, vLLM's TTFT buckets (1 ms .. 160 s). */
    private static final double[] LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter promptTokens = Counter.builder("ingot.prompt.tokens").description("Prompt tokens of finished requests").register(registry);
    private final Counter cachedPromptTokens = Counter.builder("ingot.prompt.tokens.cached").description("Prompt tokens served from the prefix cache").register(registry);
    private final Counter generationTokens = Counter.builder("ingot.generation.tokens").description("Tokens generated").register(registry);
    private final DistributionSummary ttft = latency("ingot.time.to.first.token.seconds", "Time to first token");
    private final DistributionSummary itl = latency("ingot.inter.token.latency.seconds", "Time between consecutive tokens of a request");
    private final DistributionSummary e2e = latency("ingot.e2e.request.latency.seconds", "Request latency from submission to completion");
    private final DistributionSummary queue = latency("ingot.request.queue.time.seconds", "Time waiting before the first step");

    private DistributionSummary latency(String name, String description) {
        // A summary of seconds with explicit buckets gives a Prometheus histogram with exactly these le bounds.
        return DistributionSummary.builder(name).description(description).baseUnit("seconds")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** Registers the gauges over the engine's stats snapshot (idempotent: Micrometer returns existing meters). */
    public void bind(Engine engine) {
        gauge("ingot.requests.running", "Sequences in the running batch", engine, s -> s.runningSeqs());
        gauge("ingot.requests.waiting", "Sequences waiting for admission", engine, s -> s.waitingSeqs());
        gauge("ingot.requests.live", "Requests accepted and not finished", engine, s -> s.liveRequests());
        gauge("ingot.kv.blocks.used", "KV cache blocks referenced by sequences", engine, s -> s.kvBlocksUsed());
        gauge("ingot.kv.blocks.free", "KV cache blocks allocatable (cached prefix blocks included)", engine, s -> s.kvBlocksFree());
        gauge("ingot.kv.cache.usage.ratio", "Fraction of KV blocks in use", engine,
                s -> s.kvBlocksTotal() == 0 ? 0 : (double) s.kvBlocksUsed() / s.kvBlocksTotal());
        gauge("ingot.prefix.cache.hit.rate", "Prompt tokens found in the prefix cache / looked up, since start", engine,
                s -> s.prefixCacheHitRate());
        FunctionCounter.builder("ingot.preemptions", engine, e -> e.stats().preemptions())
                .description("Sequences preempted (recompute) under KV pressure").register(registry);
        FunctionCounter.builder("ingot.engine.steps", engine, e -> e.stats().steps()).description("Engine steps").register(registry);
        // tiered compilation: programs compiled, tier-1 swaps installed / rejected (slower or failing) / demoted (drift)
        FunctionCounter.builder("ingot.programs.compiled", engine, e -> e.stats().compile().compiles())
                .description("Forward programs compiled (tier 0 and tier 1)").register(registry);
        FunctionCounter.builder("ingot.tier1.installs", engine, e -> e.stats().compile().tier1Installs())
                .description("Specialised tier-1 programs swapped in after a trial").register(registry);
        FunctionCounter.builder("ingot.tier1.rejects", engine, e -> e.stats().compile().tier1Rejects())
                .description("Tier-1 candidates not installed: slower than tier 0 or failed").register(registry);
        FunctionCounter.builder("ingot.tier1.demotions", engine, e -> e.stats().compile().tier1Drifts())
                .description("Tier-1 programs demoted after measured drift or a core-count change").register(registry);
    }

    /** Meters of one embedding model, tagged {@code model=NAME}, over its service's counters. */
    public void bind(EmbeddingService service) {
        Tags t = Tags.of("model", service.name());
        Gauge.builder("ingot.embedding.inputs.queued", service, s -> s.stats().queuedInputs()).tags(t)
                .description("Embedding inputs admitted and not yet embedded").register(registry);
        FunctionCounter.builder("ingot.embedding.requests", service, s -> s.stats().requests()).tags(t)
                .description("Embedding requests answered").register(registry);
        FunctionCounter.builder("ingot.embedding.requests.rejected", service, s -> s.stats().rejected()).tags(t)
                .description("Embedding requests refused because the queue was full (503)").register(registry);
        FunctionCounter.builder("ingot.embedding.inputs", service, s -> s.stats().inputs()).tags(t)
                .description("Inputs embedded").register(registry);
        FunctionCounter.builder("ingot.embedding.tokens", service, s -> s.stats().tokens()).tags(t)
                .description("Tokens of the inputs embedded (padding excluded)").register(registry);
        FunctionCounter.builder("ingot.embedding.forward.passes", service, s -> s.stats().forwardPasses()).tags(t)
                .description("Forward passes of the embedding model (each may hold several requests' inputs)").register(registry);
    }

    private void gauge(String name, String description, Engine engine, ToDoubleFunction<EngineStats> f) {
        Gauge.builder(name, engine, e -> f.applyAsDouble(e.stats())).description(description).register(registry);
    }

    @Override
    public void onRequestFinished(String id, GenerationResult result, Throwable error) {
        String outcome = error != null ? "error"
                : result.choices().stream().anyMatch(c -> c.finishReason() == FinishReason.ABORT) ? "abort"
                : result.choices().getFirst().finishReason() == FinishReason.LENGTH ? "length" : "stop";
        Counter.builder("ingot.requests.finished").tag("finished_reason", outcome).description("Requests ended")
                .register(registry).increment();
        if (result == null) return;
        promptTokens.increment(result.usage().promptTokens());
        cachedPromptTokens.increment(result.usage().cachedPromptTokens());
        generationTokens.increment(result.usage().completionTokens());
        Timing t = result.timing();
        if (t.timeToFirstToken() > 0) ttft.record(t.timeToFirstToken() / 1e9);
        for (long gap : t.interTokenNanos()) itl.record(gap / 1e9);
        e2e.record(t.totalNanos() / 1e9);
        queue.record(t.queueNanos() / 1e9);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
