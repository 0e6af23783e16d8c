package dev.ingot.onnx.embed;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
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
 * Immutable and thread-safe.
 */
public final class EmbeddingModel {
    private final String name;
    private final Graph graph;
    private final WordPieceTokenizer tokenizer;
    private final Pooling pooling;

    public EmbeddingModel(String name, Graph graph, WordPieceTokenizer tokenizer, Pooling pooling) {
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

    public String name() { return name; }

    public Graph graph() { return graph; }

    public WordPieceTokenizer tokenizer() { return tokenizer; }

    public Pooling pooling() { return pooling; }

    /** Tokenizes, pads to the longest text, runs the graph on the interpreter, pools and normalises. */
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
        Tensor hidden = Interpreter.run(graph, in).output(0);
        // last_hidden_state [batch, tokens, dim]
        if (hidden.rank() != 3) throw new IllegalStateException(name + ": first output is " + hidden + ", expected [batch, tokens, dim]");
        int[][] mask = new int[b][];
        for (int i = 0; i < b; i++) mask[i] = batch.get(i).attentionMask();
        return pooling.pool(hidden.floatsForRead(), mask, t, (int) hidden.dim(2));
    }

    /** Embeds in batches of at most {@code batchSize} texts (smaller batches waste less on padding). */
    public Embeddings embed(List<String> texts, int batchSize) {
        List<float[]> all = new ArrayList<>();
        int tokens = 0;
        long tok = 0;
        long fwd = 0;
        for (int i = 0; i < texts.size(); i += batchSize) {
            Embeddings e = embed(texts.subList(i, Math.min(texts.size(), i + batchSize)));
            all.addAll(e.vectors());
            tokens += e.promptTokens();
            tok += e.tokenizeNanos();
            fwd += e.forwardNanos();
        }
        return new Embeddings(all, tokens, tok, fwd);
    }
}
