package dev.ingot.onnx.embed;

import java.util.List;

/**
 * The result of one batch: a unit vector per text, in input order.
 *
 * @param promptTokens  tokens fed to the model, specials included, padding excluded (OpenAI's usage count)
 * @param tokenizeNanos time spent tokenizing
 * @param forwardNanos  time spent running the graph and pooling
 */
public record Embeddings(List<float[]> vectors, int promptTokens, long tokenizeNanos, long forwardNanos) {
    public Embeddings {
        vectors = List.copyOf(vectors);
    }

    public int dimension() { return vectors.isEmpty() ? 0 : vectors.getFirst().length; }
}
