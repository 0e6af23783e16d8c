package dev.ingot.model.gguf;

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
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A GGUF file (v2 or v3), memory-mapped read-only through the FFM API. The header is parsed and validated
 * on {@link #open}; tensor data stays in the mapping and {@link #data} hands out slices without copying.
 * Files larger than 2 GiB are fine. The mapping belongs to a shared arena: slices may be read from any
 * thread until {@link #close()}, after which accessing them throws {@link IllegalStateException}.
 *
 * <p>Metadata values are mapped to Java as follows: UINT8/INT8/UINT16/INT16/INT32 to {@link Integer};
 * UINT32/INT64/UINT64 to {@link Long} (UINT64 above 2^63 reads negative); FLOAT32 to {@link Float}; FLOAT64
 * to {@link Double}; BOOL to {@link Boolean}; STRING to {@link String}; ARRAY to {@link GgufArray} (a
 * {@code List<Object>} with elements mapped the same way, which remembers its element type).
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final GgufParser.Header header;
    private final Map<String, GgufTensorInfo> byName;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufParser.Header header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = header;
        Map<String, GgufTensorInfo> m = new LinkedHashMap<>();
        for (GgufTensorInfo t : header.tensors()) m.put(t.name(), t);
        this.byName = m;
    }

    /**
     * Maps and parses {@code path}.
     *
     * @throws GgufFormatException when the file is not a valid GGUF file; the message names the file and the problem
     * @throws IOException         when the file cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw Files.exists(path) ? new IOException(path + ": not a regular file")
                    : new NoSuchFileException(path.toString(), null, "no such file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            // The mapping stays valid after the channel is closed; it lives as long as the arena.
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new GgufFile(path, arena, seg, GgufParser.parse(path, seg));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** GGUF format version (2 or 3). */
    public int version() { return header.version(); }

    /** Alignment of tensor data: {@code general.alignment}, 32 when absent. */
    public long alignment() { return header.alignment(); }

    /** Absolute offset where the tensor data section starts (tensor offsets in the file are relative to it). */
    public long dataOffset() { return header.dataOffset(); }

    /** Size of the file in bytes. */
    public long fileSize() { return mapping.byteSize(); }

    /** All metadata in file order; unmodifiable. See the class comment for the value mapping. */
    public Map<String, Object> metadata() { return header.metadata(); }

    /** The stored type of a metadata value. */
    public Optional<GgufValueType> valueType(String key) { return Optional.ofNullable(header.types().get(key)); }

    public Optional<String> string(String key) {
        return Optional.ofNullable(typed(key, String.class, "a string"));
    }

    /** A value of any integer type. */
    public OptionalLong integer(String key) {
        Object v = metadata().get(key);
        if (v == null) return OptionalLong.empty();
        if (v instanceof Integer || v instanceof Long) return OptionalLong.of(((Number) v).longValue());
        throw wrongType(key, v, "an integer");
    }

    /** A value of any numeric type (integers converted to double). */
    public OptionalDouble number(String key) {
        Object v = metadata().get(key);
        if (v == null) return OptionalDouble.empty();
        if (v instanceof Number n) return OptionalDouble.of(n.doubleValue());
        throw wrongType(key, v, "a number");
    }

    public Optional<Boolean> bool(String key) {
        return Optional.ofNullable(typed(key, Boolean.class, "a bool"));
    }

    /** A string array; empty when the key is missing. */
    public List<String> stringArray(String key) {
        GgufArray a = typed(key, GgufArray.class, "an array");
        if (a == null) return List.of();
        if (a.elementType() != GgufValueType.STRING) throw wrongType(key, a, "an array of strings");
        @SuppressWarnings("unchecked") List<String> strings = (List<String>) (List<?>) a;
        return strings;
    }

    /** A numeric array converted to floats; {@code null} when the key is missing. */
    public float[] floatArray(String key) {
        GgufArray a = typed(key, GgufArray.class, "an array");
        if (a == null) return null;
        float[] f = a.toFloats();
        if (f == null) throw wrongType(key, a, "an array of numbers");
        return f;
    }

    /** An integer array as ints; {@code null} when the key is missing. */
    public int[] intArray(String key) {
        GgufArray a = typed(key, GgufArray.class, "an array");
        if (a == null) return null;
        int[] r;
        try {
            r = a.toInts();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(path + ": metadata '" + key + "' has values that do not fit in an int");
        }
        if (r == null) throw wrongType(key, a, "an array of integers");
        return r;
    }

    /** {@code general.architecture}, e.g. "llama"; fails when missing. */
    public String architecture() {
        return string("general.architecture").orElseThrow(
                () -> new IllegalStateException(path + ": missing metadata key general.architecture"));
    }

    /** Tensors in file order. */
    public List<GgufTensorInfo> tensors() { return header.tensors(); }

    public Optional<GgufTensorInfo> tensor(String name) { return Optional.ofNullable(byName.get(name)); }

    /** The tensor's bytes: a read-only slice of the mapping (no copy), valid until {@link #close()}. */
    public MemorySegment data(GgufTensorInfo t) {
        if (byName.get(t.name()) != t && !t.equals(byName.get(t.name()))) {
            throw new IllegalArgumentException(path + ": tensor " + t.name() + " is not from this file");
        }
        return mapping.asSlice(t.offset(), t.bytes()).asReadOnly();
    }

    /** Unmaps the file. Slices handed out by {@link #data} become inaccessible. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version() + ", " + metadata().size() + " keys, " + tensors().size() + " tensors]";
    }

    private <T> T typed(String key, Class<T> type, String expected) {
        Object v = metadata().get(key);
        if (v == null) return null;
        if (!type.isInstance(v)) throw wrongType(key, v, expected);
        return type.cast(v);
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
        String actual = v instanceof GgufArray a ? "an array of " + a.elementType() : header.types().get(key) + " " + v;
        return new IllegalArgumentException(path + ": metadata '" + key + "' is " + actual + ", expected " + expected);
    }
}
