package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.runtime.engine.EngineConfig;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.server.IngotServer;
import dev.ingot.server.ServerConfig;
import dev.ingot.server.bench.LoadGenerator;
import dev.ingot.server.bench.LoadResult;
import dev.ingot.server.bench.Workload;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingot bench serve}: serving throughput and latency under concurrent load, like vLLM's benchmark_serving.
 * Without {@code --url} it starts the server in-process twice and puts the two side by side: continuous batching
 * vs one request at a time ({@code --max-seqs 1}), or, with {@code --shared-prefix}, prefix caching on vs off.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test the OpenAI server: output tokens/s, requests/s, TTFT and inter-token latency per concurrency.",
                "Examples:",
                "  ingot bench serve -m model.gguf --concurrency 1,4,16 --prompt-len 128 --gen-len 64",
                "  ingot bench serve -m model.gguf --concurrency 4 --prompt-len 32 --gen-len 8 --shared-prefix 512",
                "  ingot bench serve --url http://127.0.0.1:8080 --model-name m --concurrency 1,8"})
public final class BenchServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin KvTypeOption kvType;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "GGUF file or hf:// reference (starts servers in-process)")
    String model;

    @Option(names = "--url", paramLabel = "URL", description = "benchmark a running server instead (needs --model-name and --vocab)")
    String url;

    @Option(names = "--model-name", paramLabel = "NAME", description = "model id to send (default: bench)")
    String modelName = "bench";

    @Option(names = "--api-key", paramLabel = "KEY", description = "API key for --url")
    String apiKey;

    @Option(names = "--vocab", paramLabel = "N", description = "vocabulary size for random prompts with --url (default: ${DEFAULT-VALUE})")
    int vocab = 32000;

    @Option(names = "--concurrency", split = ",", paramLabel = "N[,N...]", description = "clients sending at once (default: 1,4,16)")
    int[] concurrency = {1, 4, 16};

    @Option(names = "--prompt-len", paramLabel = "N", description = "random prompt tokens per request, after the shared prefix (default: ${DEFAULT-VALUE})")
    int promptLen = 128;

    @Option(names = "--gen-len", paramLabel = "N", description = "tokens generated per request (default: ${DEFAULT-VALUE})")
    int genLen = 64;

    @Option(names = "--requests", paramLabel = "N", description = "requests per concurrency level (default: max(16, 8 x concurrency): each client runs 8 requests, so the level's start and its ramp-down tail weigh little)")
    int requests;

    @Option(names = "--shared-prefix", paramLabel = "N", description = "tokens of a prompt prefix shared by all requests; compares prefix caching on vs off")
    int sharedPrefix;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the random prompts (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Mixin EngineOptions engine;

    /** One server configuration under test; config null = the server at --url. */
    private record Variant(String name, EngineConfig config) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if ((model == null) == (url == null)) throw new IllegalArgumentException("give -m MODEL or --url URL");
        if (concurrency.length == 0 || Arrays.stream(concurrency).anyMatch(c -> c < 1)) throw new IllegalArgumentException("--concurrency values must be >= 1");
        int maxC = Arrays.stream(concurrency).max().orElseThrow();
        List<Variant> variants = new ArrayList<>();
        List<List<LoadResult>> results = new ArrayList<>();
        if (url != null) {
            variants.add(new Variant("server", null));
            results.add(runAll(new LoadGenerator(url, modelName, apiKey), vocab, err));
        } else {
            try (LoadedModel m = kvType.open(ModelRefs.resolve(model, err))) {
                int modelCtx = m.graph().params().nCtx();
                int need = sharedPrefix + promptLen + genLen;
                if (need > modelCtx) throw new IllegalArgumentException("prompt + output (" + need + " tokens) exceeds the model's context " + modelCtx);
                engine.ctx = Math.max(engine.ctx, need);
                engine.maxSeqs = maxC;
                EngineConfig batched = engine.toConfig(modelCtx);
                if (sharedPrefix > 0) {
                    variants.add(new Variant("prefix cache on", batched));
                    engine.noPrefixCaching = true;
                    variants.add(new Variant("prefix cache off", engine.toConfig(modelCtx)));
                } else {
                    variants.add(new Variant("continuous batching", batched));
                    engine.maxSeqs = 1;
                    variants.add(new Variant("one at a time (--max-seqs 1)", engine.toConfig(modelCtx)));
                }
                for (Variant v : variants) {
                    err.printf("bench serve: starting server: %s (max-seqs %d, prefix caching %s)...%n", v.name(), v.config().maxNumSeqs(),
                            v.config().prefixCaching() ? "on" : "off");
                    err.flush();
                    try (IngotServer s = IngotServer.start(m, v.config(), new ServerConfig("127.0.0.1", 0, null, modelName));
                         LoadGenerator gen = new LoadGenerator("http://127.0.0.1:" + s.port(), modelName, null)) {
                        results.add(runAll(gen, m.tokenizer().vocabSize(), err));
                    }
                }
            }
        }
        if (json) printJson(out, variants, results);
        else printTable(out, variants, results);
        return 0;
    }

    /** Most warm-up rounds per level while the server keeps compiling. */
    private static final int WARM_ROUNDS = 4;

    private List<LoadResult> runAll(LoadGenerator gen, int vocabSize, PrintWriter err) throws InterruptedException {
        // Warm-up: JIT (server, engine, kernels) and tiered compilation, on prompts no measured run shares. At the
        // highest concurrency, so every batch size up to it runs; both variants get the same one, so neither is
        // measured on colder code than the other (they share a JVM and run one after the other).
        int maxC = Arrays.stream(concurrency).max().orElse(1);
        gen.run(Workload.random(2 * maxC, sharedPrefix, promptLen, Math.min(genLen, 32), vocabSize, lowId(vocabSize), seed - 1), maxC);
        List<LoadResult> rs = new ArrayList<>();
        for (int c : concurrency) {
            int n = requests > 0 ? requests : Math.max(16, 8 * c);
            // Warm-up rounds at this level's concurrency (untimed, own prompts): the batch sizes this level produces
            // get their programs specialised (tiered compilation) before the measured run, as steady serving has.
            // Another round while the last one compiled a program (a compile, trial or swap would otherwise fall in
            // the measured run), at most WARM_ROUNDS; one round where the server does not report its compiles.
            for (int round = 0; round < WARM_ROUNDS; round++) {
                double before = gen.programsCompiled();
                warmRound(gen, c, vocabSize, seed - 1000 - c - 7919L * round);
                if (!(gen.programsCompiled() > before)) break;
            }
            // A seed per level: each level has its own shared prefix, so no level is served from another's cache.
            LoadResult r = gen.run(Workload.random(n, sharedPrefix, promptLen, genLen, vocabSize, lowId(vocabSize), seed + c), c);
            err.printf(Locale.ROOT, "  concurrency %3d: %d requests in %.1f s, %.1f output tok/s, TTFT p50 %.0f ms%n",
                    c, r.requests(), r.seconds(), r.outputTokensPerSecond(), r.ttftP50());
            err.flush();
            rs.add(r);
        }
        return rs;
    }

    /**
     * One warm-up round at concurrency c: three requests per client, client i generating i fewer tokens than the
     * first (down to half), so requests finish and arrive one at a time and the batches mix a prefill with the
     * decodes, as in steady serving. With equal lengths the clients stayed in lockstep (all prefills in one step,
     * then decodes of every sequence): the mixed batch sizes of steady serving first turned hot, compiled and ran
     * their trials inside the measured run (c16, 16-token prompts: 1,036 tok/s over 8 s, 1,342 over 29 s).
     */
    private void warmRound(LoadGenerator gen, int c, int vocabSize, long seed) throws InterruptedException {
        int longer = Math.min(genLen, 32);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Workload w = Workload.random(3, sharedPrefix, promptLen, Math.max(Math.max(1, longer / 2), longer - i), vocabSize, lowId(vocabSize), seed + i);
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    gen.run(w, 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : clients) t.join();
    }

    /** Llama/SentencePiece vocabularies start with 3 control and 256 byte tokens; random bytes would print nothing. */
    private static int lowId(int vocabSize) {
        return vocabSize > 1000 ? 259 : 3;
    }

    private void printTable(PrintWriter out, List<Variant> variants, List<List<LoadResult>> results) {
        out.printf(Locale.ROOT, "prompt %d tokens%s, output %d tokens, requests per level: %s%n", promptLen,
                sharedPrefix > 0 ? " after a shared prefix of " + sharedPrefix : "", genLen, requests > 0 ? requests : "max(16, 8 x concurrency)");
        out.printf("%-30s %5s %7s %8s %11s %9s %9s %8s %8s %6s%n", "server", "conc", "req/s", "out tok/s", "TTFT p50 ms", "TTFT p99",
                "TTFT mean", "ITL p50", "ITL p99", "failed");
        for (int v = 0; v < variants.size(); v++) {
            for (LoadResult r : results.get(v)) {
                out.printf(Locale.ROOT, "%-30s %5d %7.2f %9.1f %11.1f %9.1f %9.1f %8.1f %8.1f %6d%n", variants.get(v).name(), r.concurrency(),
                        r.requestsPerSecond(), r.outputTokensPerSecond(), r.ttftP50(), r.ttftP99(), r.ttftMean(), r.itlP50(), r.itlP99(), r.failed());
            }
        }
        if (variants.size() == 2) {
            for (int i = 0; i < concurrency.length; i++) {
                LoadResult a = results.get(0).get(i), b = results.get(1).get(i);
                out.printf(Locale.ROOT, "concurrency %d: %s / %s = %.2fx output tok/s, TTFT p50 %.2fx lower%n", concurrency[i],
                        variants.get(0).name(), variants.get(1).name(), a.outputTokensPerSecond() / b.outputTokensPerSecond(), b.ttftP50() / a.ttftP50());
            }
        }
        out.flush();
    }

    private static void printJson(PrintWriter out, List<Variant> variants, List<List<LoadResult>> results) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ArrayNode root = om.createArrayNode();
        for (int v = 0; v < variants.size(); v++) {
            for (LoadResult r : results.get(v)) {
                ObjectNode o = root.addObject();
                o.put("server", variants.get(v).name());
                o.put("concurrency", r.concurrency());
                o.put("requests", r.requests());
                o.put("failed", r.failed());
                o.put("seconds", r.seconds());
                o.put("output_tokens", r.outputTokens());
                o.put("output_tokens_per_s", r.outputTokensPerSecond());
                o.put("requests_per_s", r.requestsPerSecond());
                o.put("ttft_p50_ms", r.ttftP50());
                o.put("ttft_p99_ms", r.ttftP99());
                o.put("itl_p50_ms", r.itlP50());
                o.put("itl_p99_ms", r.itlP99());
            }
        }
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out.flush();
    }
}
