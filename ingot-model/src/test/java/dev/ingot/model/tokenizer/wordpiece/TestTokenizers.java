package dev.ingot.model.tokenizer.wordpiece;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real {@code tokenizer.json} files from the langchain4j embedding artifacts on the test classpath. */
final class TestTokenizers {
    /** all-MiniLM-L6-v2: truncation max_length 128, padding Fixed 128. */
    static final String MINILM = "/all-minilm-l6-v2-q-tokenizer.json";
    /** bge-small-en-v1.5: same vocabulary, no truncation or padding. */
    static final String BGE = "/bge-small-en-v1.5-q-tokenizer.json";

    private TestTokenizers() {}

    static InputStream open(String resource) {
        InputStream in = TestTokenizers.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("missing test resource " + resource + " (test-scope langchain4j-embeddings-* jar)");
        return in;
    }

    static WordPieceTokenizer load(String resource) {
        try (InputStream in = open(resource)) {
            return WordPieceTokenizer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
