package dev.ingot.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file: u64 header length, JSON header padded with spaces to a multiple of 8
 * (as the reference writer does, so data stays 8-byte aligned), then the tensors back to back in insertion
 * order. Data is copied through a mapping of the output; the file appears under its name only when complete.
 */
public final class SafetensorsWriter {
    private record Entry(String name, DType type, long[] shape, MemorySegment data) {}

    private final List<Entry> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor; {@code shape} is row-major and {@code data} holds exactly its little-endian bytes. */
    public SafetensorsWriter add(String name, DType type, long[] shape, MemorySegment data) {
        String dtype = dtypeName(type);
        long bytes = type.blockBytes();
        for (long d : shape) bytes = Math.multiplyExact(bytes, d);
        if (dtype == null) throw new IllegalArgumentException("tensor '" + name + "': safetensors cannot store " + type);
        if (bytes != data.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.byteSize() + " bytes given, " + bytes + " expected");
        }
        if (tensors.stream().anyMatch(t -> t.name().equals(name)) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("duplicate or reserved tensor name '" + name + "'");
        }
        tensors.add(new Entry(name, type, shape.clone(), data));
        return this;
    }

    public void write(Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long off = 0;
        for (Entry t : tensors) {
            ObjectNode n = root.putObject(t.name());
            n.put("dtype", dtypeName(t.type()));
            var shape = n.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            n.putArray("data_offsets").add(off).add(off + t.data().byteSize());
            off += t.data().byteSize();
        }
        StringBuilder header = new StringBuilder(json.writeValueAsString(root));
        while (header.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) header.append(' ');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                ByteBuffer prefix = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).flip();
                while (prefix.hasRemaining()) ch.write(prefix);
                if (off > 0) {
                    MemorySegment data = ch.map(FileChannel.MapMode.READ_WRITE, 8 + h.length, off, arena);
                    long p = 0;
                    for (Entry t : tensors) {
                        MemorySegment.copy(t.data(), 0, data, p, t.data().byteSize());
                        p += t.data().byteSize();
                    }
                    data.force();
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static String dtypeName(DType t) {
        return switch (t) {
            case F32, F16, BF16, F64, I8, I16, I32, I64, U8, BOOL -> t.name();
            default -> null;
        };
    }
}
