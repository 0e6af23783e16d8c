package dev.ingot.model.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the safetensors header:
 * <pre>
 *   u64 N (little-endian) | N bytes of UTF-8 JSON | data buffer
 *   JSON: { "__metadata__": {string: string}?,
 *           "&lt;name&gt;": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ... }
 * </pre>
 * Offsets are relative to the data buffer (which starts at {@code 8 + N}); {@code end - begin} must equal
 * the element count times the element size; tensors may not overlap or leave the file.
 */
final class SafetensorsHeader {
    /** The reference implementation's limit; larger headers are refused before anything is read. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    record Parsed(Map<String, String> metadata, List<SafetensorsTensorInfo> tensors) {}

    private SafetensorsHeader() {}

    static Parsed parse(Path file, MemorySegment seg) throws SafetensorsFormatException {
        long size = seg.byteSize();
        if (size < 8) throw new SafetensorsFormatException(file, "truncated: " + size + " bytes, the header length alone needs 8");
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n) + " is invalid (file is "
                    + size + " bytes, limit " + MAX_HEADER_BYTES + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE));
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new SafetensorsFormatException(file, "header cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new SafetensorsFormatException(file, "header is not a JSON object");
        long dataStart = 8 + n;
        long bufferSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsTensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals("__metadata__")) {
                metadata(file, e.getValue(), metadata);
            } else {
                tensors.add(tensor(file, e.getKey(), e.getValue(), dataStart, bufferSize));
            }
        }
        tensors.sort(Comparator.comparingLong(SafetensorsTensorInfo::offset));
        for (int i = 1; i < tensors.size(); i++) {
            SafetensorsTensorInfo a = tensors.get(i - 1), b = tensors.get(i);
            if (a.offset() + a.bytes() > b.offset()) {
                throw new SafetensorsFormatException(file, "tensor data of '" + a.name() + "' and '" + b.name() + "' overlap");
            }
        }
        return new Parsed(Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tensors));
    }

    private static void metadata(Path file, JsonNode node, Map<String, String> out) throws SafetensorsFormatException {
        if (!node.isObject()) throw new SafetensorsFormatException(file, "__metadata__ is not an object");
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) throw new SafetensorsFormatException(file, "__metadata__." + m.getKey() + " is not a string");
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static SafetensorsTensorInfo tensor(Path file, String name, JsonNode t, long dataStart, long bufferSize)
            throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!t.isObject()) throw new SafetensorsFormatException(file, where + " is not an object");
        DType type = dtype(file, where, t.path("dtype").asText(null));
        JsonNode shapeNode = t.path("shape");
        JsonNode offs = t.path("data_offsets");
        if (!shapeNode.isArray()) throw new SafetensorsFormatException(file, where + " has no shape array");
        if (!offs.isArray() || offs.size() != 2) throw new SafetensorsFormatException(file, where + " has no [begin, end] data_offsets");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = nonNegative(file, where + " shape[" + i + "]", shapeNode.get(i));
        long begin = nonNegative(file, where + " data_offsets[0]", offs.get(0));
        long end = nonNegative(file, where + " data_offsets[1]", offs.get(1));
        if (begin > end || end > bufferSize) {
            throw new SafetensorsFormatException(file, where + " data [" + begin + ", " + end + ") is out of the data buffer of "
                    + bufferSize + " bytes");
        }
        long expected;
        try {
            expected = type.blockBytes();
            for (long d : shape) expected = Math.multiplyExact(expected, d);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, where + " size overflows 64 bits");
        }
        if (end - begin != expected) {
            throw new SafetensorsFormatException(file, where + " has " + (end - begin) + " bytes of data but its "
                    + type + " shape " + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        return new SafetensorsTensorInfo(name, type, shape, dataStart + begin, end - begin);
    }

    private static DType dtype(Path file, String where, String s) throws SafetensorsFormatException {
        if (s == null) throw new SafetensorsFormatException(file, where + " has no dtype");
        return switch (s) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "F64" -> DType.F64;
            case "I8" -> DType.I8;
            case "I16" -> DType.I16;
            case "I32" -> DType.I32;
            case "I64" -> DType.I64;
            case "U8" -> DType.U8;
            case "BOOL" -> DType.BOOL;
            default -> throw new SafetensorsFormatException(file, where + " has unsupported dtype '" + s + "'");
        };
    }

    private static long nonNegative(Path file, String what, JsonNode n) throws SafetensorsFormatException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new SafetensorsFormatException(file, what + " is not a non-negative integer: " + n);
        }
        return n.asLong();
    }
}
