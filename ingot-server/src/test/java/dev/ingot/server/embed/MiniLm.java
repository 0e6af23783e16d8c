package dev.ingot.server.embed;

import dev.ingot.onnx.embed.EmbeddingModel;
import dev.ingot.onnx.embed.EmbeddingModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * all-MiniLM-L6-v2 (fp32) from langchain4j's jar on the test classpath (no download), loaded as
 * {@code ingot embed -m all-minilm-l6-v2} loads it: the same files, the short name's pooling and batch bound.
 * Loaded once per test JVM (the import takes a second or two).
 */
public final class MiniLm {
    public static final String NAME = "all-minilm-l6-v2";
    private static EmbeddingModel model;

    private MiniLm() {}

    public static synchronized EmbeddingModel model() {
        if (model != null) return model;
        try {
            Path dir = Files.createTempDirectory("ingot-minilm");
            dir.toFile().deleteOnExit();
            Path onnx = copy("/" + NAME + ".onnx", dir.resolve("model.onnx"));
            Path tok = copy("/" + NAME + "-tokenizer.json", dir.resolve("tokenizer.json"));
            EmbeddingModels.Known k = EmbeddingModels.known(NAME).orElseThrow();
            model = EmbeddingModel.load(NAME, onnx, tok, k.pooling()).withMaxBatch(k.maxBatch());
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String resource, Path to) throws IOException {
        try (InputStream in = MiniLm.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException(resource + " is not on the test classpath (dev.langchain4j:langchain4j-embeddings-" + NAME + ")");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        to.toFile().deleteOnExit();
        return to;
    }
}
