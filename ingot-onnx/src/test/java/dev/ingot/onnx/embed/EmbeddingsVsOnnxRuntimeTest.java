package dev.ingot.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ingot.ir.Graph;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.tokenizer.wordpiece.Encoding;
import dev.ingot.model.tokenizer.wordpiece.WordPieceTokenizer;
import dev.ingot.onnx.OnnxImporter;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four real embedding models (langchain4j's jars on the test classpath): the same tokens go to Ingot's
 * imported graph on the compiled executor (itself checked against the interpreter in
 * {@code dev.ingot.onnx.exec.CompiledEncoderTest}) and to ONNX Runtime; the pooled, normalised embeddings must agree to cosine
 * 0.9999 per sentence. The reference is ONNX Runtime with graph optimisations off, so it runs the model's own
 * ops (for the quantised models: DynamicQuantizeLinear and MatMulInteger rather than its fused kernels); the
 * optimised session's agreement is printed beside the batch times of both (indicative only: timing belongs to
 * {@code ingot bench-onnx}).
 */
class EmbeddingsVsOnnxRuntimeTest {
    /** Short, long, punctuation, numbers, accents, CJK, emoji (an [UNK]) and a lone word. */
    static final List<String> SENTENCES = List.of(
            "Hello, world!",
            "The quick brown fox jumps over the lazy dog.",
            "Ingot compiles machine-learning models to JVM bytecode; it runs them, too.",
            "What's 2 + 2? (Answer: 4 -- obviously!!!)",
            "Ünïcödé: naïve café, résumé, Ægir's fjörð.",
            "東京は日本の首都です。",
            "Emoji are unknown to this vocabulary 😀 but the rest is not.",
            "embeddings",
            "A longer passage: sentence embeddings map text to vectors so that texts with similar meanings end up close "
                    + "together, which makes semantic search, clustering and retrieval-augmented generation possible.",
            "   leading and trailing spaces   ");

    /**
     * Sentences per batch, grouped by length so little of each batch is padding; the quantised models run
     * one text at a time ({@link EmbeddingModels.Known#maxBatch}).
     */
    private static final int BATCH = 4;

    /**
     * The quantised models fall short of 0.9999 on some sentences (worst measured 0.9963, all-MiniLM-L6-v2-q). Likely cause,
     * not yet confirmed node by node: each DynamicQuantizeLinear rounds {@code -min/scale} to one zero point for the whole tensor, so a float difference
     * in the ops before it (LayerNorm, Erf, softmax: double accumulation here, float in ONNX Runtime) that moves it
     * across a rounding boundary shifts every element of the tensor by one step. Other sentences, and padded
     * batches, agree to 1e-14, so the integer ops themselves match; and ONNX Runtime's own optimised and unoptimised
     * sessions disagree as much (measured worst 0.99359 on all-MiniLM-L6-v2-q), so these models have no single
     * answer to 0.9999. Closing the gap to the unoptimised session is open work.
     */
    private static final double QUANTISED_BOUND = 0.995;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v1.5", "bge-small-en-v1.5-q"})
    void ingotMatchesOnnxRuntime(String name) throws Exception {
        EmbeddingModels.Known known = EmbeddingModels.known(name).orElseThrow();
        byte[] onnx = resource("/" + known.stem() + ".onnx");
        Graph graph = OnnxImporter.importModel(ModelProto.parseFrom(onnx), tmp);
        WordPieceTokenizer tok = WordPieceTokenizer.fromJson(new ByteArrayInputStream(resource("/" + known.stem() + "-tokenizer.json")));
        WorkerPool pool = new WorkerPool(2);
        EmbeddingModel model = new EmbeddingModel(name, graph, tok, known.pooling()).compiled(pool);
        List<Encoding> enc = tok.encodeBatch(SENTENCES);
        int batchSize = Math.min(BATCH, known.maxBatch());
        List<int[]> groups = EmbeddingModel.lengthBatches(enc, batchSize);
        float[][] ours = new float[SENTENCES.size()][];
        float[][] ref = new float[SENTENCES.size()][];
        float[][] refOptimised = new float[SENTENCES.size()][];
        long oursNs = 0;
        long refNs = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession literal = session(env, onnx, OrtSession.SessionOptions.OptLevel.NO_OPT);
             OrtSession optimised = session(env, onnx, OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            runOrt(env, optimised, tok.padToLongest(enc), known.pooling()); // warm-up: the first run allocates and plans
            for (int[] g : groups) {
                List<Encoding> batch = tok.padToLongest(g.length == 0 ? List.of() : java.util.Arrays.stream(g).mapToObj(enc::get).toList());
                long t0 = System.nanoTime();
                float[][] o = model.forward(batch);
                long t1 = System.nanoTime();
                float[][] r = runOrt(env, optimised, batch, known.pooling());
                refNs += System.nanoTime() - t1;
                oursNs += t1 - t0;
                float[][] l = runOrt(env, literal, batch, known.pooling());
                for (int k = 0; k < g.length; k++) {
                    ours[g[k]] = o[k];
                    refOptimised[g[k]] = r[k];
                    ref[g[k]] = l[k];
                }
            }
        } finally {
            pool.close();
        }
        int tokens = enc.stream().mapToInt(Encoding::length).sum();
        double worstOpt = 1;
        double worstOrtSelf = 1;
        for (int i = 0; i < SENTENCES.size(); i++) {
            worstOpt = Math.min(worstOpt, cosine(ours[i], refOptimised[i]));
            worstOrtSelf = Math.min(worstOrtSelf, cosine(ref[i], refOptimised[i]));
        }
        System.out.printf(Locale.ROOT, "[embed] %s: %d sentences, %d tokens, batches of %d: ingot compiled %.0f ms (first batches include lowering), "
                        + "onnxruntime %.1f ms (2 threads); worst cosine vs onnxruntime optimised %.6f, "
                        + "onnxruntime optimised vs unoptimised %.6f%n",
                name, SENTENCES.size(), tokens, batchSize, oursNs / 1e6, refNs / 1e6, worstOpt, worstOrtSelf);
        assertThat(ours[0]).hasSize(384);
        double bound = known.maxBatch() == 1 ? QUANTISED_BOUND : 0.9999;
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(cosine(ours[i], ref[i])).as("%s sentence %d %s", name, i, SENTENCES.get(i)).isGreaterThanOrEqualTo(bound);
        }
        // a different sentence is not that close: the comparison can tell embeddings apart
        assertThat(cosine(ours[0], ref[1])).isLessThan(0.99);
    }

    private static OrtSession session(OrtEnvironment env, byte[] onnx, OrtSession.SessionOptions.OptLevel level) throws Exception {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            opts.setOptimizationLevel(level);
            return env.createSession(onnx, opts);
        }
    }

    static float[][] runOrt(OrtEnvironment env, OrtSession session, List<Encoding> batch, Pooling pooling) throws Exception {
        int b = batch.size();
        int t = batch.getFirst().length();
        long[][] ids = new long[b][t];
        long[][] mask = new long[b][t];
        long[][] types = new long[b][t];
        int[][] maskInt = new int[b][];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i][j] = batch.get(i).ids()[j];
                mask[i][j] = batch.get(i).attentionMask()[j];
                types[i][j] = batch.get(i).typeIds()[j];
            }
            maskInt[i] = batch.get(i).attentionMask();
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (String n : session.getInputNames()) {
                in.put(n, OnnxTensor.createTensor(env, switch (n) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> mask;
                    default -> types;
                }));
            }
            try (OrtSession.Result r = session.run(in)) {
                float[][][] h = (float[][][]) r.get(0).getValue();
                int d = h[0][0].length;
                float[] flat = new float[b * t * d];
                for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) System.arraycopy(h[i][j], 0, flat, (i * t + j) * d, d);
                return pooling.pool(flat, maskInt, t, d);
            }
        } finally {
            for (OnnxTensor x : in.values()) x.close();
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = EmbeddingsVsOnnxRuntimeTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name + " (test-scope langchain4j-embeddings-* jar)");
            return in.readAllBytes();
        }
    }
}
