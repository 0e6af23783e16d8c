package dev.ingot.model.gguf;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a GGUF v3 file: metadata (any type, insertion order; putting an existing key replaces its value
 * in place) and tensors (insertion order, each aligned). Tensor bytes are produced at {@link #write} time
 * by a {@link TensorData} callback that fills a writable mapping of its slice of the output file, so
 * nothing larger than the header is held on the heap. Typical use:
 * <pre>{@code
 * new GgufWriter().copyMetadata(src).putUInt32("general.file_type", 7)
 *     .addTensor("token_embd.weight", DType.Q8_0, new long[] {dim, vocab}, dst -> quantizeInto(dst))
 *     .write(out);
 * }</pre>
 * Not thread-safe. At {@link #write} the callbacks run one after another on the calling thread, in tensor
 * order; a callback may split its own slice across threads (the quantiser does).
 */
public final class GgufWriter {
    /** Fills a tensor's bytes. {@code dst} is exactly the tensor's size; it must not be used after returning. */
    @FunctionalInterface
    public interface TensorData {
        void fill(MemorySegment dst) throws IOException;
    }

    private record Entry(GgufValueType type, Object value) {}

    private record Tensor(String name, DType type, long[] ne, long bytes, TensorData data) {}

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** Adds or replaces a metadata value of an explicit type. ARRAY values are {@link GgufArray}s or non-empty lists. */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        new GgufEncoder().value(key, type, value); // validate now, so the error points at the caller
        if (key.equals("general.alignment")) checkAlignment(value);
        metadata.put(key, new Entry(type, value));
        return this;
    }

    /** Adds a value with its type inferred: String, Boolean, Integer (INT32), Long (INT64), Float, Double, List. */
    public GgufWriter put(String key, Object value) { return put(key, GgufEncoder.infer(key, value), value); }

    public GgufWriter putString(String key, String v) { return put(key, GgufValueType.STRING, v); }
    public GgufWriter putBool(String key, boolean v) { return put(key, GgufValueType.BOOL, v); }
    public GgufWriter putInt32(String key, int v) { return put(key, GgufValueType.INT32, v); }
    public GgufWriter putUInt32(String key, long v) { return put(key, GgufValueType.UINT32, v); }
    public GgufWriter putInt64(String key, long v) { return put(key, GgufValueType.INT64, v); }
    public GgufWriter putUInt64(String key, long v) { return put(key, GgufValueType.UINT64, v); }
    public GgufWriter putFloat32(String key, float v) { return put(key, GgufValueType.FLOAT32, v); }
    public GgufWriter putFloat64(String key, double v) { return put(key, GgufValueType.FLOAT64, v); }
    public GgufWriter putStrings(String key, List<String> v) { return put(key, GgufValueType.ARRAY, GgufArray.ofStrings(v)); }
    public GgufWriter putFloats(String key, float[] v) { return put(key, GgufValueType.ARRAY, GgufArray.ofFloat32(v)); }
    public GgufWriter putInts(String key, int[] v) { return put(key, GgufValueType.ARRAY, GgufArray.ofInt32(v)); }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /** Copies every metadata entry of {@code src} with its stored type (values replace existing keys). */
    public GgufWriter copyMetadata(GgufFile src) {
        for (Map.Entry<String, Object> e : src.metadata().entrySet()) {
            put(e.getKey(), src.valueType(e.getKey()).orElseThrow(), e.getValue());
        }
        return this;
    }

    /** Sets {@code general.alignment} (UINT32, a power of two); 32 when never set. */
    public GgufWriter alignment(long alignment) { return put("general.alignment", GgufValueType.UINT32, alignment); }

    /** Adds a tensor whose bytes are produced by {@code data} during {@link #write}. {@code ne} is in GGUF order. */
    public GgufWriter addTensor(String name, DType type, long[] ne, TensorData data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (type.ggmlId() < 0) throw new IllegalArgumentException("tensor '" + name + "': " + type + " has no GGUF type id");
        if (ne.length > GgufParser.MAX_DIMS) throw new IllegalArgumentException("tensor '" + name + "': more than 4 dimensions");
        long bytes;
        try {
            bytes = type.rowBytes(ne.length == 0 ? 1 : ne[0]);
            for (int d = 0; d < ne.length; d++) {
                if (ne[d] < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension " + Arrays.toString(ne));
                if (d > 0) bytes = Math.multiplyExact(bytes, ne[d]);
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
        if (!tensorNames.add(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        tensors.add(new Tensor(name, type, ne.clone(), bytes, data));
        return this;
    }

    /**
     * Adds a tensor with its bytes copied from {@code data} (exactly the tensor's size) at write time, so
     * {@code data} must stay accessible (its arena or file open) until {@link #write} returns.
     */
    public GgufWriter addTensor(String name, DType type, long[] ne, MemorySegment data) {
        addTensor(name, type, ne, dst -> dst.copyFrom(data));
        long expected = tensors.getLast().bytes();
        if (data.byteSize() != expected) {
            tensors.removeLast();
            tensorNames.remove(name);
            throw new IllegalArgumentException("tensor '" + name + "': " + data.byteSize() + " bytes given, " + expected + " expected");
        }
        return this;
    }

    /** Adds a tensor of {@code src} unchanged (same name, type, shape and bytes); {@code src} must stay open until written. */
    public GgufWriter copyTensor(GgufFile src, GgufTensorInfo t) { return addTensor(t.name(), t.type(), t.ne(), src.data(t)); }

    /**
     * Writes the file. The bytes go to a temporary file beside {@code target} that is renamed over it only
     * after everything (including every {@link TensorData} callback) succeeded; on failure it is deleted.
     */
    public void write(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        long alignment = metadata.containsKey("general.alignment")
                ? ((Number) metadata.get("general.alignment").value()).longValue() : GgufParser.DEFAULT_ALIGNMENT;
        // Layout: header | pad | tensor 0 | pad | tensor 1 | pad ... (every tensor padded, as llama.cpp does).
        long[] rel = new long[tensors.size()];
        long dataSize = 0;
        for (int i = 0; i < rel.length; i++) {
            rel[i] = dataSize;
            dataSize = Math.addExact(dataSize, GgufParser.alignUp(tensors.get(i).bytes(), alignment));
        }
        byte[] header = header(rel);
        long dataStart = GgufParser.alignUp(header.length, alignment);
        // A hidden sibling created with the default permissions (the umask's, like any other file the user writes;
        // Files.createTempFile would make it owner-only), renamed over the target only once complete.
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW)) {
                ByteBuffer hb = ByteBuffer.wrap(header);
                while (hb.hasRemaining()) ch.write(hb);
                if (dataSize > 0) {
                    // Mapping past the end grows the file; unwritten padding reads as zeros.
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment data = ch.map(FileChannel.MapMode.READ_WRITE, dataStart, dataSize, arena);
                        for (int i = 0; i < rel.length; i++) {
                            Tensor t = tensors.get(i);
                            t.data().fill(data.asSlice(rel[i], t.bytes()));
                        }
                        data.force();
                    }
                } else {
                    ch.truncate(header.length);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private byte[] header(long[] rel) {
        GgufEncoder enc = new GgufEncoder();
        enc.i32(0x46554747); // "GGUF"
        enc.i32(3);
        enc.i64(tensors.size());
        enc.i64(metadata.size());
        for (Map.Entry<String, Entry> e : metadata.entrySet()) {
            enc.string(e.getKey());
            enc.i32(e.getValue().type().id());
            enc.value(e.getKey(), e.getValue().type(), e.getValue().value());
        }
        for (int i = 0; i < rel.length; i++) {
            Tensor t = tensors.get(i);
            enc.string(t.name());
            enc.i32(t.ne().length);
            for (long d : t.ne()) enc.i64(d);
            enc.i32(t.type().ggmlId());
            enc.i64(rel[i]);
        }
        return enc.toByteArray();
    }

    private static void checkAlignment(Object v) {
        long a = ((Number) v).longValue();
        if (a <= 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw new IllegalArgumentException("general.alignment " + a + " is not a power of two between 1 and 2^30");
        }
    }
}
