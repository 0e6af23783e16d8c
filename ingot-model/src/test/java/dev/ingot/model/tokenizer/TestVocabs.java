package dev.ingot.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;

/** Loads shared vocabularies and golden JSON once per test JVM (the BPE vocabularies take ~0.5 s each). */
final class TestVocabs {
    private TestVocabs() {}

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Tokenizer> CACHE = new ConcurrentHashMap<>();

    /** {@code name} is "llama-spm", "llama-bpe", "qwen2" or "gpt-2". */
    static Tokenizer vocab(String name) {
        return load(SharedData.model("vocab/ggml-vocab-" + name + ".gguf"));
    }

    static Tokenizer model(String file) {
        return load(SharedData.model(file));
    }

    static Tokenizer load(Path p) {
        return CACHE.computeIfAbsent(p, path -> {
            try (GgufFile f = GgufFile.open(path)) {
                return Tokenizer.fromGguf(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
