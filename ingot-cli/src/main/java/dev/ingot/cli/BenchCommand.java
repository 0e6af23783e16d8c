package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.bench.MemoryBandwidth;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.runtime.bench.ModelBench;
import dev.ingot.runtime.generate.LoadedModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingot bench}: prompt-processing and generation throughput like llama-bench, printed beside this machine's
 * measured memory bandwidth and the decode roofline it implies (weight bytes per token / bandwidth).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = BenchServeCommand.class,
        description = {"Measure prompt processing (pp) and token generation (tg) speed, llama-bench style.",
                "Example: ingot bench -m model.gguf -p 128 -n 64 -r 3 -t 2"})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    // Not picocli-required: "bench serve" is a subcommand, and picocli checks a parent's required options too.
    @picocli.CommandLine.Mixin KvTypeOption kvType;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "GGUF file or hf:// reference (required)")
    String model;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", description = "prompt tokens (default: ${DEFAULT-VALUE}; 0 skips pp)")
    int prompt = 128;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", description = "generated tokens (default: ${DEFAULT-VALUE}; 0 skips tg)")
    int gen = 64;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", description = "repetitions after a warm-up run (default: ${DEFAULT-VALUE})")
    int reps = 3;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "prompt tokens per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 512;

    @Option(names = "--bandwidth-mib", paramLabel = "MIB", description = "buffer for the bandwidth probe (default: ${DEFAULT-VALUE})")
    int bandwidthMib = 1024;

    @Option(names = "--json", description = "print results as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (model == null) throw new IllegalArgumentException("give a model with -m MODEL (or run 'ingot bench serve')");
        if (reps < 1 || threads < 1 || prompt < 0 || gen < 0 || prompt + gen == 0) {
            throw new IllegalArgumentException("need -r >= 1, -t >= 1 and a positive -p or -n");
        }
        try (LoadedModel m = kvType.open(ModelRefs.resolve(model, err)); WorkerPool pool = new WorkerPool(threads)) {
            ModelBench bench = new ModelBench(m, pool, batch);
            List<ModelBench.Result> results = bench.run(prompt, gen, reps, 42);
            MemoryBandwidth.Result bw = MemoryBandwidth.measure(threads, (long) bandwidthMib << 20, 3);
            long bytesPerToken = bench.decodeBytesPerToken();
            double roofline = bw.gbPerSecond() * 1e9 / bytesPerToken;
            if (json) printJson(out, m, results, bw, bytesPerToken, roofline);
            else printTable(out, m, results, bw, bytesPerToken, roofline);
            return 0;
        }
    }

    private void printTable(PrintWriter out, LoadedModel m, List<ModelBench.Result> rs, MemoryBandwidth.Result bw,
                            long bytesPerToken, double roofline) {
        out.printf(Locale.ROOT, "model: %s (%s, %.2f GiB of weights) | threads: %d | kernels: %s%n",
                m.file().path().getFileName(), m.graph().architecture(), m.weightBytes() / (double) (1L << 30), threads,
                KernelProvider.get().describe());
        out.printf(Locale.ROOT, "| %-8s | %18s | %18s | %8s |%n", "test", "tokens/s", "roofline tokens/s", "% roof");
        out.printf("|----------|--------------------|--------------------|----------|%n");
        for (ModelBench.Result r : rs) {
            boolean tg = r.test().startsWith("tg");
            out.printf(Locale.ROOT, "| %-8s | %9.2f ± %6.2f | %18s | %8s |%n", r.test(), r.mean(), r.stddev(),
                    tg ? String.format(Locale.ROOT, "%.2f", roofline) : "-",
                    tg ? String.format(Locale.ROOT, "%.1f%%", 100 * r.mean() / roofline) : "-");
        }
        out.printf(Locale.ROOT, "memory bandwidth (measured, %d threads): %.1f GB/s; decode reads %.3f GB/token -> roofline %.2f tokens/s%n",
                bw.threads(), bw.gbPerSecond(), bytesPerToken / 1e9, roofline);
        out.flush();
    }

    private void printJson(PrintWriter out, LoadedModel m, List<ModelBench.Result> rs, MemoryBandwidth.Result bw,
                           long bytesPerToken, double roofline) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("model", m.file().path().toString());
        root.put("architecture", m.graph().architecture());
        root.put("weight_bytes", m.weightBytes());
        root.put("threads", threads);
        root.put("kernels", KernelProvider.get().describe());
        root.put("bandwidth_gb_per_s", bw.gbPerSecond());
        root.put("decode_bytes_per_token", bytesPerToken);
        root.put("decode_roofline_tokens_per_s", roofline);
        ArrayNode tests = root.putArray("tests");
        for (ModelBench.Result r : rs) {
            ObjectNode t = tests.addObject();
            t.put("test", r.test());
            t.put("tokens", r.tokens());
            t.put("mean_tokens_per_s", r.mean());
            t.put("stddev_tokens_per_s", r.stddev());
            t.putPOJO("samples", r.tokensPerSecond());
            if (r.test().startsWith("tg")) t.put("fraction_of_roofline", r.mean() / roofline);
        }
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out.flush();
    }
}
