package dev.ingot.model.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code .safetensors} file, memory-mapped read-only through the FFM API (any size). The JSON header
 * is validated on {@link #open} (see {@link SafetensorsHeader} for the layout and checks); {@link #data}
 * returns slices of the mapping without copying, valid until {@link #close()}.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Map<String, String> metadata;
    private final List<SafetensorsTensorInfo> tensors;
    private final Map<String, SafetensorsTensorInfo> byName = new LinkedHashMap<>();

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, SafetensorsHeader.Parsed parsed) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.metadata = parsed.metadata();
        this.tensors = parsed.tensors();
        for (SafetensorsTensorInfo t : tensors) byName.put(t.name(), t);
    }

    /**
     * @throws SafetensorsFormatException for a malformed file (the message names the file and the problem)
     */
    public static SafetensorsFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw Files.exists(path) ? new IOException(path + ": not a regular file")
                    : new NoSuchFileException(path.toString(), null, "no such file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new SafetensorsFile(path, arena, seg, SafetensorsHeader.parse(path, seg));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** The {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() { return metadata; }

    /** Tensors in file (offset) order. */
    public List<SafetensorsTensorInfo> tensors() { return tensors; }

    public Optional<SafetensorsTensorInfo> tensor(String name) { return Optional.ofNullable(byName.get(name)); }

    /** The tensor's bytes (little-endian elements): a read-only slice of the mapping. */
    public MemorySegment data(SafetensorsTensorInfo t) {
        if (!t.equals(byName.get(t.name()))) throw new IllegalArgumentException(path + ": tensor " + t.name() + " is not from this file");
        return mapping.asSlice(t.offset(), t.bytes()).asReadOnly();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
