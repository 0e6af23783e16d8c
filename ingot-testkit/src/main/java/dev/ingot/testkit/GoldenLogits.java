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
