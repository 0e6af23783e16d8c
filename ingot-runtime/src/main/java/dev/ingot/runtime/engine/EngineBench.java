package dev.ingot.runtime.engine;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Aggregate generation throughput of the engine at several concurrencies, against one request at a time.
 * Closed loop: {@code c} clients each submit a request (a random prompt of {@code promptTokens}, greedy,
 * {@code genTokens} outputs, EOS ignored), wait for it, and submit the next, until {@code requestsPerClient}
 * each. Prompts are random so no prefix cache helps. Concurrency 1 is the one-at-a-time baseline.
 *
 * <p>{@code java ... dev.ingot.runtime.engine.EngineBench model.gguf [threads] [prompt] [gen] [conc,conc,...] [requests]};
 * {@code -Dingot.bench.kvBlocks=N} sizes the KV pool (as {@code --kv-blocks}), {@code -Dingot.bench.logprobs=true}
 * asks each token's logprob, {@code -Dingot.bench.kvDtype=f32} runs an F32 KV cache instead of the default F16.
 */
public final class EngineBench {
    /**
     * One concurrency's outcome.
     *
     * @param genTokensPerSecond all generated tokens over the wall time (prefills included)
     * @param meanTtftMillis     mean time to first token
     * @param meanItlMillis      mean inter-token latency (what each stream sees)
     * @param meanBatchTokens    tokens per forward pass, averaged over steps
     */
    public record Point(int concurrency, int requests, long genTokens, double seconds, double genTokensPerSecond,
                        double meanTtftMillis, double meanItlMillis, double meanBatchTokens) {}

    /** {@code -Dingot.bench.logprobs=true}: each token's logprob too, as {@code bench serve}'s load generator asks. */
    private static final boolean LOGPROBS = Boolean.getBoolean("ingot.bench.logprobs");

    private EngineBench() {}

    public static Point run(Engine engine, int concurrency, int requestsPerClient, int promptTokens, int genTokens, long seed)
            throws Exception {
        int vocab = engine.model().graph().params().nVocab();
        AtomicLong tokens = new AtomicLong(), ttft = new AtomicLong(), itl = new AtomicLong(), itlCount = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                SplittableRandom r = new SplittableRandom(seed + c);
                jobs.add(clients.submit(() -> {
                    for (int i = 0; i < requestsPerClient; i++) {
                        int[] prompt = new int[promptTokens];
                        prompt[0] = engine.model().tokenizer().bos();
                        for (int k = 1; k < promptTokens; k++) prompt[k] = 3 + r.nextInt(vocab - 3);
                        GenerationResult res = engine.submit(GenerateRequest.tokens(prompt).sampling(SamplingParams.builder()
                                .temperature(0).maxTokens(genTokens).ignoreEos(true).logprobs(LOGPROBS).build()).build()).await();
                        tokens.addAndGet(res.usage().completionTokens());
                        ttft.addAndGet(res.timing().timeToFirstToken());
                        for (long v : res.timing().interTokenNanos()) itl.addAndGet(v);
                        itlCount.addAndGet(res.timing().interTokenNanos().length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) f.get();
        } finally {
            clients.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int n = concurrency * requestsPerClient;
        return new Point(concurrency, n, tokens.get(), secs, tokens.get() / secs, ttft.get() / 1e6 / n,
                itlCount.get() == 0 ? 0 : itl.get() / 1e6 / itlCount.get(), 0);
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int prompt = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int gen = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String[] concs = (args.length > 4 ? args[4] : "1,4,16").split(",");
        int requests = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        dev.ingot.tensor.DType kvType = "f32".equals(System.getProperty("ingot.bench.kvDtype")) ? dev.ingot.tensor.DType.F32 : LoadedModel.DEFAULT_KV_TYPE;
        try (LoadedModel m = LoadedModel.open(path, kvType)) {
            AtomicLong steps = new AtomicLong(), stepTokens = new AtomicLong();
            EngineListener counter = new EngineListener() {
                @Override
                public void onStep(int batchTokens, int numSeqs, long nanos) {
                    steps.incrementAndGet();
                    stepTokens.addAndGet(batchTokens);
                }
            };
            EngineConfig.Builder b = EngineConfig.builder().threads(threads).maxNumSeqs(16).maxBatchTokens(256)
                    .maxModelLen(Math.min(m.graph().params().nCtx(), prompt + gen + 16));
            if (Integer.getInteger("ingot.bench.kvBlocks") != null) b.kvBlocks(Integer.getInteger("ingot.bench.kvBlocks"));
            EngineConfig cfg = b.build();
            long s0 = System.nanoTime();
            try (Engine e = Engine.start(m, cfg, counter)) {
                System.out.printf("model %s, %d threads, warm-up %.1f s, pp%d tg%d, %d requests per client%n",
                        path.getFileName(), threads, (System.nanoTime() - s0) / 1e9, prompt, gen, requests);
                run(e, 4, 2, prompt, gen, 1); // JIT warm-up of the engine and kernels at several batch sizes
                double base = 0;
                for (String c : concs) {
                    int conc = Integer.parseInt(c.trim());
                    long st0 = steps.get(), tk0 = stepTokens.get();
                    Point p = run(e, conc, requests, prompt, gen, 1000L * conc); // fresh prompts per run: no prefix-cache help
                    double batch = (double) (stepTokens.get() - tk0) / Math.max(1, steps.get() - st0);
                    if (base == 0) base = p.genTokensPerSecond();
                    System.out.printf("concurrency %2d: %4d requests, %6d tokens in %6.2f s = %8.1f tok/s (x%.2f), "
                                    + "TTFT %.1f ms, ITL %.2f ms, %.1f tokens/step%n", conc, p.requests(), p.genTokens(),
                            p.seconds(), p.genTokensPerSecond(), p.genTokensPerSecond() / base, p.meanTtftMillis(),
                            p.meanItlMillis(), batch);
                }
                System.out.println(e.stats());
            }
        }
    }
}
