package dev.ingot.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.compiler.graphexec.GraphExecutor;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.hub.HubConfig;
import dev.ingot.onnx.OnnxImporter;
import dev.ingot.onnx.embed.EmbeddingModels;
import dev.ingot.onnx.embed.MavenFetcher;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingot bench-onnx}: encoder throughput of Ingot's compiled executor beside ONNX Runtime (Java, CPU, all
 * graph optimisations, the same thread count), in one process on the same token ids. After warm-up runs, the two
 * engines run in alternating slices of a quarter second until each has run for at least {@code --min-time} seconds;
 * the outputs of both are compared by cosine.
 */
@Command(name = "bench-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encoder throughput: Ingot (compiled) vs ONNX Runtime on the same inputs, same thread count."})
final class BenchOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--models"}, split = ",", paramLabel = "NAME",
            defaultValue = "all-minilm-l6-v2,all-minilm-l6-v2-q,bge-small-en-v1.5,bge-small-en-v1.5-q",
            description = "short names or .onnx paths (default: the four langchain4j encoders)")
    List<String> models;

    @Option(names = "--shapes", split = ",", paramLabel = "BxT", defaultValue = "1x16,1x128,32x128",
            description = "batch x tokens (default 1x16,1x128,32x128)")
    List<String> shapes;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "threads for both engines (default 2)")
    int threads;

    @Option(names = "--min-time", defaultValue = "2", paramLabel = "SECONDS", description = "timed seconds per engine and row (default 2)")
    double minTime;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS",
            description = "untimed seconds per engine and row before timing, at least 3 runs (default 2: Ingot's generated kernels reach C2 during it)")
    double warmup;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the random token ids")
    long seed;

    @Option(names = "--json", description = "one JSON object with a row per model and shape")
    boolean json;

    record Row(String model, int batch, int tokens, double ingotSec, double ortSec, double cosine) {
        double ratio() { return ortSec / ingotSec; }
    }

    @Override
    public Integer call() throws Exception {
        List<Row> rows = new ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        PrintWriter err = spec.commandLine().getErr();
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (String name : models) {
                var files = EmbeddingModels.resolve(name, HubConfig.fromEnvironment().modelsDir(), MavenFetcher.fromEnvironment());
                Graph g = OnnxImporter.importFile(files.onnx());
                GraphExecutor ex = GraphExecutor.compile(g, pool);
                try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                    o.setIntraOpNumThreads(threads);
                    o.setInterOpNumThreads(1);
                    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    try (OrtSession ort = env.createSession(files.onnx().toString(), o)) {
                        for (String shape : shapes) {
                            String[] bt = shape.toLowerCase(Locale.ROOT).split("x");
                            int b = Integer.parseInt(bt[0]), t = Integer.parseInt(bt[1]);
                            Row r = measure(name, g, ex, env, ort, b, t);
                            rows.add(r);
                            if (Boolean.getBoolean("ingot.graphexec.profile")) err.println(ex.profile());
                            if (!json) err.printf(Locale.ROOT, "  %s %dx%d: ingot %.2f ms, onnxruntime %.2f ms%n", name, b, t, r.ingotSec() * 1e3, r.ortSec() * 1e3);
                            err.flush();
                        }
                    }
                }
            }
        }
        print(rows);
        return 0;
    }

    private Row measure(String name, Graph g, GraphExecutor ex, OrtEnvironment env, OrtSession ort, int b, int t) throws OrtException {
        Random r = new Random(seed * 31 + b * 1000L + t);
        long[][] ids = new long[b][t], mask = new long[b][t], types = new long[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i][j] = j == 0 ? 101 : j == t - 1 ? 102 : 1000 + r.nextInt(28000); // [CLS] ... [SEP]
                mask[i][j] = 1;
            }
        }
        Map<String, Tensor> in = new HashMap<>();
        Map<String, OnnxTensor> ortIn = new HashMap<>();
        for (Value v : g.inputs()) {
            long[][] src = switch (v.name()) {
                case "input_ids" -> ids;
                case "attention_mask" -> mask;
                default -> types;
            };
            long[] flat = new long[b * t];
            for (int i = 0; i < b; i++) System.arraycopy(src[i], 0, flat, i * t, t);
            in.put(v.name(), Tensor.i64(flat, b, t));
            ortIn.put(v.name(), OnnxTensor.createTensor(env, src));
        }
        try {
            float[] ours = ex.run(in).getFirst().floatsForRead();
            float[] theirs;
            try (OrtSession.Result res = ort.run(ortIn)) {
                FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
                theirs = new float[fb.remaining()];
                fb.get(theirs);
            }
            double[] sec = time(() -> ex.run(in), ex::resetProfile, () -> {
                try (OrtSession.Result res = ort.run(ortIn)) {
                    res.get(0);
                }
            });
            double ingot = sec[0], onnx = sec[1];
            return new Row(name, b, t, ingot, onnx, cosine(ours, theirs));
        } finally {
            ortIn.values().forEach(OnnxTensor::close);
        }
    }

    interface Run { void run() throws Exception; }

    /**
     * Mean seconds per run of {@code ingot} and {@code ort}: each warmed up (at least 3 runs and --warmup seconds),
     * then timed in alternating slices of at least {@link #SLICE_NANOS} (and one run) each, until both have run for
     * at least --min-time. Alternating keeps the ratio fair on a shared host (load that comes and goes hits both
     * engines alike); slices rather than single runs keep one engine's idle worker threads, which spin for a while
     * after a run (ONNX Runtime's by default), from eating into the other's next run.
     */
    private double[] time(Run ingot, Runnable afterWarmup, Run ort) {
        try {
            Run[] runs = {ingot, ort};
            for (Run run : runs) {
                long w0 = System.nanoTime();
                for (int i = 0; i < 3 || System.nanoTime() - w0 < warmup * 1e9; i++) run.run();
            }
            afterWarmup.run(); // -Dingot.graphexec.profile=true then times the measured runs only
            long[] total = new long[2];
            int[] n = new int[2];
            while (n[0] < 3 || n[1] < 3 || total[0] < minTime * 1e9 || total[1] < minTime * 1e9) {
                for (int e = 0; e < 2; e++) {
                    long t0 = System.nanoTime(), t;
                    do {
                        runs[e].run();
                        n[e]++;
                    } while ((t = System.nanoTime()) - t0 < SLICE_NANOS);
                    total[e] += t - t0;
                }
            }
            return new double[] {total[0] / 1e9 / n[0], total[1] / 1e9 / n[1]};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shortest timed slice of one engine before the other's turn. */
    private static final long SLICE_NANOS = 250_000_000L;

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return a.length != b.length ? Double.NaN : dot / Math.sqrt(na * nb);
    }

    private void print(List<Row> rows) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("threads", threads);
            root.put("kernels", KernelProvider.get().describe());
            root.put("cpus", Runtime.getRuntime().availableProcessors());
            ArrayNode a = root.putArray("rows");
            for (Row r : rows) {
                ObjectNode o = a.addObject();
                o.put("model", r.model());
                o.put("batch", r.batch());
                o.put("tokens", r.tokens());
                o.put("ingot_ms", r.ingotSec() * 1e3);
                o.put("onnxruntime_ms", r.ortSec() * 1e3);
                o.put("ingot_seq_per_s", r.batch() / r.ingotSec());
                o.put("onnxruntime_seq_per_s", r.batch() / r.ortSec());
                o.put("ratio", r.ratio());
                o.put("cosine", r.cosine());
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "threads %d, kernels %s%n", threads, KernelProvider.get().describe());
            out.printf(Locale.ROOT, "| %-20s | %-6s | %12s | %12s | %12s | %12s | %6s | %8s |%n",
                    "model", "BxT", "ingot seq/s", "ORT seq/s", "ingot tok/s", "ORT tok/s", "ratio", "cosine");
            out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (Row r : rows) {
                double tok = (double) r.batch() * r.tokens();
                out.printf(Locale.ROOT, "| %-20s | %-6s | %12.1f | %12.1f | %12.0f | %12.0f | %5.2fx | %8.6f |%n",
                        r.model(), r.batch() + "x" + r.tokens(), r.batch() / r.ingotSec(), r.batch() / r.ortSec(),
                        tok / r.ingotSec(), tok / r.ortSec(), r.ratio(), r.cosine());
            }
        }
        out.flush();
    }
}
