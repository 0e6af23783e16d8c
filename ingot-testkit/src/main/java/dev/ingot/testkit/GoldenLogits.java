package dev.ingot.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code shared/golden/logits/*.json} file: llama.cpp's logits per prompt position and its greedy generation
 * (schema in {@code shared/golden/README.md}).
 */
public record GoldenLogits(String file, String modelFile, String prompt, int nVocab, int[] promptIds,
                           List<Position> positions, int[] generatedIds, List<Position> steps, String detokenized) {

    /** Logits that chose the next token: argmax, max, top-k pairs, and all logits when the file has them. */
    public record Position(int argmax, double max, int[] topIds, double[] topLogits, float[] logits) {
        /** Gap between the best and second-best logit: where a comparison of top-1 is meaningful. */
        public double top12Gap() { return topLogits.length < 2 ? Double.POSITIVE_INFINITY : topLogits[0] - topLogits[1]; }
    }

    /**
     * Logit tolerance for a model file, per shared/golden/README.md: F32 models ~1e-4 relative, F16 ~1e-3, quantised
     * weights with F32 activations up to ~2e-2 (llama.cpp quantises activations, we may not).
     */
    public static double tolerance(String modelFile) {
        if (modelFile.contains("F32") || modelFile.startsWith("stories")) return 1e-4;
        if (modelFile.contains("F16")) return 2e-3;
        return 3e-2;
    }

    /**
     * Checks {@code ours} (one full logit vector) against a golden position: every golden logit (all of them when
     * the file has full vectors, else the top-k) within {@code tol} x max(1, |max logit|), and the argmax equal
     * wherever llama.cpp's top-1/top-2 gap exceeds twice that. Throws AssertionError naming the file and place.
     */
    public void check(String where, float[] ours, Position want, double tol) {
        double scale = Math.max(1.0, Math.abs(want.max()));
        String ctx = file + " " + where;
        if (ours.length != nVocab) throw new AssertionError(ctx + ": " + ours.length + " logits, expected " + nVocab);
        if (want.logits() != null) {
            for (int v = 0; v < want.logits().length; v++) near(ctx + " logit " + v, ours[v], want.logits()[v], tol * scale);
        }
        for (int j = 0; j < want.topIds().length; j++) {
            near(ctx + " logit of top token " + want.topIds()[j], ours[want.topIds()[j]], want.topLogits()[j], tol * scale);
        }
        if (want.top12Gap() > 2 * tol * scale) {
            int best = 0;
            for (int i = 1; i < ours.length; i++) if (ours[i] > ours[best]) best = i;
            if (best != want.argmax()) throw new AssertionError(ctx + ": argmax " + best + ", llama.cpp " + want.argmax());
        }
    }

    private static void near(String what, double got, double want, double tol) {
        if (!(Math.abs(got - want) <= tol)) {
            throw new AssertionError(what + ": got " + got + ", llama.cpp " + want + " (tolerance " + tol + ")");
        }
    }

    public static List<Path> all() {
        try (Stream<Path> s = Files.list(SharedData.golden("logits"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GoldenLogits read(Path p) {
        try {
            JsonNode n = new ObjectMapper().readTree(p.toFile());
            List<Position> pos = new ArrayList<>();
            for (JsonNode e : n.get("positions")) pos.add(position(e, "argmax"));
            JsonNode g = n.get("generation");
            List<Position> steps = new ArrayList<>();
            for (JsonNode e : g.get("steps")) steps.add(position(e, "chosen"));
            return new GoldenLogits(p.getFileName().toString(), n.get("model_file").asText(), n.get("prompt").asText(),
                    n.get("n_vocab").asInt(), ints(n.get("prompt_token_ids")), pos, ints(g.get("ids")), steps,
                    g.get("detokenized").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + p, e);
        }
    }

    private static Position position(JsonNode e, String argmaxField) {
        JsonNode top = e.get("top");
        int[] ids = new int[top.size()];
        double[] vals = new double[top.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = top.get(i).get(0).asInt();
            vals[i] = top.get(i).get(1).asDouble();
        }
        float[] logits = null;
        if (e.has("logits")) {
            JsonNode l = e.get("logits");
            logits = new float[l.size()];
            for (int i = 0; i < logits.length; i++) logits[i] = (float) l.get(i).asDouble();
        }
        return new Position(e.get(argmaxField).asInt(), e.get("max").asDouble(), ids, vals, logits);
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }
}
