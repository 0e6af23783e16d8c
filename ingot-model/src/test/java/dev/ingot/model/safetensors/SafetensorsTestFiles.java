package dev.ingot.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes safetensors files for tests, following the format by hand: u64 header length, JSON, data. */
final class SafetensorsTestFiles {
    record T(String name, String dtype, long[] shape, byte[] data) {}

    private final List<T> tensors = new ArrayList<>();
    private final ObjectNode metadata = new ObjectMapper().createObjectNode();

    SafetensorsTestFiles add(String name, String dtype, long[] shape, byte[] data) {
        tensors.add(new T(name, dtype, shape, data));
        return this;
    }

    SafetensorsTestFiles f32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return add(name, "F32", shape, b.array());
    }

    SafetensorsTestFiles meta(String k, String v) {
        metadata.put(k, v);
        return this;
    }

    /** The JSON header (padded with spaces to a multiple of 8 bytes, as the reference writer does). */
    byte[] header() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        if (!metadata.isEmpty()) root.set("__metadata__", metadata);
        long off = 0;
        for (T t : tensors) {
            ObjectNode n = root.putObject(t.name());
            n.put("dtype", t.dtype());
            var shape = n.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            n.putArray("data_offsets").add(off).add(off + t.data().length);
            off += t.data().length;
        }
        String json = root.toString();
        while (json.getBytes(StandardCharsets.UTF_8).length % 8 != 0) json += " ";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes(header()));
    }

    /** The file with a given header (for corrupt-header tests) and this builder's tensor data. */
    byte[] bytes(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        for (T t : tensors) out.writeBytes(t.data());
        return out.toByteArray();
    }
}
