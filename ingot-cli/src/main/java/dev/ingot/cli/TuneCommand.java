package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.compiler.program.KernelShapes;
import dev.ingot.compiler.program.LinearShapes;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.ForwardSignature;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.tune.AttentionSpace;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.TuneSession;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TuningDb;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingot tune}: searches schedules for every kernel signature a model's programs use (token buckets given
 * by {@code --buckets}; attention also at the context buckets holding {@code --contexts}): linear, paged
 * attention and the fused row kernels (for buckets above one token: a decode row has nothing to split), on this
 * machine, within a time budget, and stores the winners in the tuning database that compiling consults;
 * {@code --report} renders the database's trials as HTML.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Autotune the model's kernels on this machine (results go to the tuning database).",
                "Example: ingot tune -m model.gguf --budget 10m; ingot tune --report -o tune.html"})
public final class TuneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "GGUF file or hf:// reference")
    String model;

    @Option(names = "--budget", paramLabel = "TIME", description = "wall-clock budget: 90s, 10m, 1h (default: ${DEFAULT-VALUE})")
    String budget = "10m";

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads to tune for (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--buckets", paramLabel = "T,...", split = ",", description = "token buckets to tune (default: 1,128)")
    List<Integer> buckets = List.of(1, 128);

    @Option(names = "--contexts", paramLabel = "C,...", split = ",",
            description = "context lengths to tune attention at, each standing for its bucket (default: 256,1024)")
    List<Integer> contexts = List.of(256, 1024);

    @Option(names = "--seed", description = "search seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--db", paramLabel = "FILE", description = "tuning database (default: <compile cache>/tuning/db.json)")
    Path db;

    @Option(names = "--json", description = "print results as JSON")
    boolean json;

    @Option(names = "--report", description = "write an HTML report of the database's latest searches instead of tuning")
    boolean report;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "report file (default: ${DEFAULT-VALUE})")
    Path output = Path.of("ingot-tune-report.html");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TuningDb database = new TuningDb(db != null ? db : TuningDb.defaultPath());
        CpuId cpu = CpuId.current();
        if (report) {
            TuneReport.write(database, cpu, output);
            out.println("wrote " + output.toAbsolutePath());
            return 0;
        }
        if (model == null) throw new IllegalArgumentException("give a model with -m MODEL (or --report)");
        long budgetNs = parseDuration(budget).toNanos();
        if (threads < 1 || buckets.isEmpty() || buckets.stream().anyMatch(b -> b < 1) || contexts.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("need --threads >= 1, positive --buckets and positive --contexts");
        }
        try (LoadedModel m = LoadedModel.open(ModelRefs.resolve(model, err)); WorkerPool pool = new WorkerPool(threads)) {
            Map<KernelSignature, MemorySegment> weights = new LinkedHashMap<>();
            List<KernelSignature> sigs = signatures(m, weights);
            err.printf(Locale.ROOT, "tuning %d kernel signatures (%d linear) of %s for %d threads on %s (%s), budget %s%n",
                    sigs.size(), weights.size(), m.file().path().getFileName(), threads, cpu.model(), NativeBackend.get().describe(), budget);
            err.flush();
            TuneSession.Outcome o;
            long secs = Math.max(1, budgetNs / 1_000_000_000L);
            try (Progress p = Progress.start("tune", secs, "s", 1, err)) {
                o = TuneSession.run(sigs, weights, pool, budgetNs, database, cpu, seed, (f, s) -> p.stepTo((long) (f * secs)));
                p.stepTo(secs);
            }
            if (json) printJson(out, o);
            else printTable(out, o, database);
        }
        return 0;
    }

    /**
     * Distinct signatures of the model's programs for the token buckets, linear ones first; {@code weights} gets
     * each linear signature's weights of its first use.
     */
    private List<KernelSignature> signatures(LoadedModel m, Map<KernelSignature, MemorySegment> weights) {
        var g = PassPipeline.standard().run(m.graph().graph()).graph();
        int maxBlocks = (m.graph().params().nCtx() + LoadedModel.KV_BLOCK_SIZE - 1) / LoadedModel.KV_BLOCK_SIZE;
        Set<KernelSignature> others = new LinkedHashSet<>();
        for (int bucket : buckets) {
            // bounds as ModelRunner compiles a single-sequence program: one row of logits
            Map<String, Long> bounds = Map.of(ForwardSignature.T, (long) bucket, ForwardSignature.S, 1L,
                    ForwardSignature.B, (long) maxBlocks, ForwardSignature.L, 1L, ForwardSignature.NB, (long) maxBlocks);
            for (LinearShapes.Shape s : LinearShapes.of(g, bounds)) {
                weights.putIfAbsent(KernelSignature.linear(s.dtype(), s.n(), s.k(), Math.max(1, s.tokens())), s.weights());
            }
            for (KernelShapes.Attention a : KernelShapes.attention(g, bounds)) {
                int last = AttentionSpace.contextBucket(a.maxContext());
                for (int c : contexts) {
                    int cb = AttentionSpace.contextBucket(c);
                    if (cb > last) continue; // longer than the model's context
                    others.add(KernelSignature.attention(a.kvType(), a.heads(), a.kvHeads(), a.headDim(), a.blockSize(), Math.max(1, a.tokens()), cb));
                }
            }
            for (KernelShapes.Fused f : KernelShapes.fused(g, bounds)) {
                if (f.tokens() > 1) others.add(KernelSignature.fused(f.op(), f.n(), f.tokens())); // one row: nothing to split
            }
        }
        List<KernelSignature> out = new ArrayList<>(weights.keySet());
        out.addAll(others);
        return out;
    }

    static Duration parseDuration(String s) {
        var mt = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(s.trim());
        if (!mt.matches()) throw new IllegalArgumentException("--budget must look like 90s, 10m or 1h, not " + s);
        double v = Double.parseDouble(mt.group(1));
        double ms = switch (mt.group(2)) { case "ms" -> v; case "s" -> v * 1e3; case "m" -> v * 60e3; default -> v * 3600e3; };
        if (ms < 1) throw new IllegalArgumentException("--budget must be positive");
        return Duration.ofMillis((long) ms);
    }

    private static void printTable(PrintWriter out, TuneSession.Outcome o, TuningDb db) {
        out.printf(Locale.ROOT, "| %-36s | %12s | %12s | %7s | %-38s |%n", "kernel", "default us", "tuned us", "speedup", "tuned schedule");
        out.println("|--------------------------------------|--------------|--------------|---------|----------------------------------------|");
        for (TuneSession.Row r : o.rows()) {
            out.printf(Locale.ROOT, "| %-36s | %12.1f | %12.1f | %6.2fx | %-38s |%n", r.sig().text(), r.baselineNs() / 1e3,
                    r.tunedNs() / 1e3, r.speedup(), r.improved() ? r.tuned() : "(default) " + r.tuned());
        }
        out.printf(Locale.ROOT, "cost model (Spearman rank correlation, predicted vs measured): %.3f on the %d candidates it picked, "
                + "each predicted before it was measured (%.3f within one kernel, mean over kernels); %.3f on a 25%% hold-out of %d trials%n",
                o.onlineSpearman(), o.onlinePairs(), o.withinSpearman(), o.holdOutSpearman(), o.samples());
        out.println("tuning database: " + db.file());
        out.flush();
    }

    private static void printJson(PrintWriter out, TuneSession.Outcome o) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        ArrayNode ks = root.putArray("kernels");
        for (TuneSession.Row r : o.rows()) {
            ObjectNode k = ks.addObject();
            k.put("kernel", r.sig().text());
            k.put("default_schedule", r.baseline());
            k.put("default_ns", r.baselineNs());
            k.put("tuned_schedule", r.tuned());
            k.put("tuned_ns", r.tunedNs());
            k.put("speedup", r.speedup());
            k.put("improved", r.improved());
            k.put("jvm_schedule", r.jvmSchedule());
            k.put("trials", r.trials());
        }
        ObjectNode model = root.putObject("cost_model");
        model.put("online_spearman", o.onlineSpearman());
        model.put("online_pairs", o.onlinePairs());
        model.put("within_kernel_spearman", o.withinSpearman());
        model.put("holdout_spearman", o.holdOutSpearman());
        model.put("samples", o.samples());
        out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out.flush();
    }
}
