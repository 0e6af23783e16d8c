package dev.ingot.model.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Hugging Face checkpoint: one {@code .safetensors} file, or a directory holding {@code config.json} and
 * either {@code model.safetensors.index.json} (sharded: its {@code weight_map} names the shard of every
 * tensor) or {@code *.safetensors} files. All shards are opened (mapped) together; tensor names are unique
 * across shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String INDEX = "model.safetensors.index.json";

    private final Path root;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
    private final List<SafetensorsTensorInfo> tensors = new ArrayList<>();

    private SafetensorsCheckpoint(Path root, List<SafetensorsFile> shards) {
        this.root = root;
        this.shards = shards;
    }

    /** Opens a {@code .safetensors} file or a checkpoint directory. */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        List<Path> files;
        Map<String, String> weightMap = null;
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX);
            if (Files.exists(index)) {
                weightMap = weightMap(index);
                files = weightMap.values().stream().distinct().map(path::resolve).toList();
            } else {
                try (Stream<Path> s = Files.list(path)) {
                    files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                }
                if (files.isEmpty()) throw new SafetensorsFormatException(path, "no *.safetensors files and no " + INDEX);
            }
        } else {
            files = List.of(path);
        }
        List<SafetensorsFile> shards = new ArrayList<>();
        SafetensorsCheckpoint c = new SafetensorsCheckpoint(path, Collections.unmodifiableList(shards));
        try {
            for (Path f : files) {
                if (!Files.exists(f)) throw new SafetensorsFormatException(path, "shard " + f.getFileName() + " named in " + INDEX + " is missing");
                shards.add(SafetensorsFile.open(f));
            }
            c.index(weightMap);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void index(Map<String, String> weightMap) throws SafetensorsFormatException {
        for (SafetensorsFile f : shards) {
            for (SafetensorsTensorInfo t : f.tensors()) {
                SafetensorsFile prev = owner.putIfAbsent(t.name(), f);
                if (prev != null) {
                    throw new SafetensorsFormatException(root, "tensor '" + t.name() + "' is in both " + prev.path().getFileName()
                            + " and " + f.path().getFileName());
                }
                tensors.add(t);
            }
        }
        if (weightMap != null) {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile f = owner.get(e.getKey());
                if (f == null || !f.path().getFileName().toString().equals(Path.of(e.getValue()).getFileName().toString())) {
                    throw new SafetensorsFormatException(root, INDEX + " maps '" + e.getKey() + "' to " + e.getValue() + " but it is not there");
                }
            }
        }
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(index, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) throw new SafetensorsFormatException(index, "no weight_map object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String shard = e.getValue().asText("");
            // Shards must be plain file names inside the checkpoint directory.
            if (!e.getValue().isTextual() || shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw new SafetensorsFormatException(index, "weight_map entry '" + e.getKey() + "' has an invalid shard name: " + e.getValue());
            }
            out.put(e.getKey(), shard);
        }
        return out;
    }

    /** The file or directory that was opened. */
    public Path root() { return root; }

    /** {@code config.json} beside the weights, if any. */
    public Optional<Path> configJson() {
        Path dir = Files.isDirectory(root) ? root : root.toAbsolutePath().getParent();
        Path p = dir.resolve("config.json");
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    public List<SafetensorsFile> shards() { return shards; }

    /** All tensors, shard by shard in file order. */
    public List<SafetensorsTensorInfo> tensors() { return Collections.unmodifiableList(tensors); }

    public Optional<SafetensorsTensorInfo> tensor(String name) {
        SafetensorsFile f = owner.get(name);
        return f == null ? Optional.empty() : f.tensor(name);
    }

    public MemorySegment data(SafetensorsTensorInfo t) {
        SafetensorsFile f = owner.get(t.name());
        if (f == null) throw new IllegalArgumentException(root + ": no tensor " + t.name());
        return f.data(t);
    }

    @Override
    public void close() {
        for (SafetensorsFile f : shards) f.close();
    }
}
