package dev.ingot.onnx.embed;

import dev.ingot.compiler.graphexec.GraphExecutor;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.tokenizer.wordpiece.Encoding;
import dev.ingot.model.tokenizer.wordpiece.WordPieceTokenizer;
import dev.ingot.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An imported ONNX encoder with its tokenizer and pooling: {@link #embed} turns texts into unit vectors. The graph
 * is imported once; every batch size and length binds its {@code batch_size}/{@code sequence_length} symbols.
 * It runs on the reference interpreter unless {@link #compiled} gave it the compiled executor
 * ({@code dev.ingot.compiler.graphexec}, which lowers each batch shape once and reuses it). Immutable and thread-safe.
 */
public final class EmbeddingModel {
    /** Runs the encoder graph on named inputs and returns its first output. */
    @FunctionalInterface
    public interface Forward {
        Tensor run(Map<String, Tensor> inputs);
    }

    private final String name;
    private final Graph graph;
    private final Forward forward;
    private final boolean isCompiled;
    private final WordPieceTokenizer tokenizer;
    private final Pooling pooling;
    /** Upper bound on texts per forward pass; 1 where batch mates would change a text's result. */
    private final int maxBatch;

    public EmbeddingModel(String name, Graph graph, WordPieceTokenizer tokenizer, Pooling pooling) {
        this(name, graph, tokenizer, pooling, Integer.MAX_VALUE, in -> Interpreter.run(graph, in).output(0), false);
    }

    private EmbeddingModel(String name, Graph graph, WordPieceTokenizer tokenizer, Pooling pooling, int maxBatch,
                           Forward forward, boolean isCompiled) {
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
        this.maxBatch = maxBatch;
        this.forward = forward;
        this.isCompiled = isCompiled;
        this.name = name;
        this.graph = graph;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        for (Value in : graph.inputs()) {
            if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(in.name())) {
                throw new IllegalArgumentException(name + ": unexpected graph input " + in.name()
                        + " (an encoder takes input_ids, attention_mask and optionally token_type_ids)");
            }
        }
    }

    /** Imports {@code onnx} and reads {@code tokenizerJson}. */
    public static EmbeddingModel load(String name, Path onnx, Path tokenizerJson, Pooling pooling) throws IOException {
        return new EmbeddingModel(name, OnnxImporter.importFile(onnx), WordPieceTokenizer.fromJson(tokenizerJson), pooling);
    }

    /** This model, embedding at most {@code n} texts per forward pass in {@link #embed(List, int)}. */
    public EmbeddingModel withMaxBatch(int n) { return new EmbeddingModel(name, graph, tokenizer, pooling, n, forward, isCompiled); }

    /**
     * This model on the compiled executor: the graph is optimised and its fused kernels generated now; each new
     * (batch, length) shape is lowered on first use. Kernels run on {@code pool}, which the caller owns.
     */
    public EmbeddingModel compiled(WorkerPool pool) {
        GraphExecutor ex = GraphExecutor.compile(graph, pool);
        return new EmbeddingModel(name, graph, tokenizer, pooling, maxBatch, in -> ex.run(in).getFirst(), true);
    }

    /** Whether {@link #compiled} produced this model (else it runs on the reference interpreter). */
    public boolean isCompiled() { return isCompiled; }

    public int maxBatch() { return maxBatch; }

    public String name() { return name; }

    public Graph graph() { return graph; }

    public WordPieceTokenizer tokenizer() { return tokenizer; }

    public Pooling pooling() { return pooling; }

    /** Tokenizes, pads to the longest text, runs the graph, pools and normalises, in one pass. */
    public Embeddings embed(List<String> texts) {
        if (texts.isEmpty()) return new Embeddings(List.of(), 0, 0, 0);
        long t0 = System.nanoTime();
        List<Encoding> batch = tokenizer.padToLongest(tokenizer.encodeBatch(texts));
        long t1 = System.nanoTime();
        float[][] vectors = forward(batch);
        long t2 = System.nanoTime();
        int tokens = batch.stream().mapToInt(Encoding::realLength).sum();
        return new Embeddings(List.of(vectors), tokens, t1 - t0, t2 - t1);
    }

    /** Runs an already tokenized, equally long batch (exposed so tests feed the same tokens to another runtime). */
    public float[][] forward(List<Encoding> batch) {
        int b = batch.size();
        int t = batch.getFirst().length();
        Map<String, Tensor> in = new HashMap<>();
        for (Value v : graph.inputs()) {
            long[] data = new long[b * t];
            for (int i = 0; i < b; i++) {
                Encoding e = batch.get(i);
                if (e.length() != t) throw new IllegalArgumentException("batch is not padded to one length");
                int[] src = switch (v.name()) {
                    case "input_ids" -> e.ids();
                    case "attention_mask" -> e.attentionMask();
                    default -> e.typeIds();
                };
                for (int j = 0; j < t; j++) data[i * t + j] = src[j];
            }
            in.put(v.name(), Tensor.i64(data, b, t));
        }
        Tensor hidden = forward.run(in);
        // last_hidden_state [batch, tokens, dim]
        if (hidden.rank() != 3) throw new IllegalStateException(name + ": first output is " + hidden + ", expected [batch, tokens, dim]");
        int[][] mask = new int[b][];
        for (int i = 0; i < b; i++) mask[i] = batch.get(i).attentionMask();
        return pooling.pool(hidden.floatsForRead(), mask, t, (int) hidden.dim(2));
    }

    /**
     * Embeds in batches of at most {@code batchSize} texts of similar token length (sorted by length, so little
     * of each batch is padding: the cost is proportional to padded tokens); vectors come back in
     * input order. At most {@link #maxBatch()} texts go in one pass whatever {@code batchSize} says.
     */
    public Embeddings embed(List<String> texts, int batchSize) {
        long t0 = System.nanoTime();
        List<Encoding> enc = tokenizer.encodeBatch(texts);
        long tok = System.nanoTime() - t0;
        float[][] out = new float[texts.size()][];
        long fwd = 0;
        for (int[] group : lengthBatches(enc, Math.min(batchSize, maxBatch))) {
            List<Encoding> batch = new ArrayList<>();
            for (int i : group) batch.add(enc.get(i));
            long f0 = System.nanoTime();
            float[][] v = forward(tokenizer.padToLongest(batch));
            fwd += System.nanoTime() - f0;
            for (int k = 0; k < group.length; k++) out[group[k]] = v[k];
        }
        int tokens = enc.stream().mapToInt(Encoding::realLength).sum();
        return new Embeddings(List.of(out), tokens, tok, fwd);
    }

    /** Indices of {@code enc} grouped into batches of at most {@code batchSize}, shortest texts first. */
    public static List<int[]> lengthBatches(List<Encoding> enc, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        Integer[] order = new Integer[enc.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> enc.get(i).length()));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < order.length; i += batchSize) {
            int n = Math.min(batchSize, order.length - i);
            int[] g = new int[n];
            for (int k = 0; k < n; k++) g[k] = order[i + k];
            out.add(g);
        }
        return out;
    }
}
