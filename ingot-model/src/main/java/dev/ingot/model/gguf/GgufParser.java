package dev.ingot.model.gguf;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the GGUF header (everything before the tensor data) from a mapped file and validates the tensor
 * table against the file. Layout (little-endian, v2/v3):
 * <pre>
 *   u32 magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
 *   n_kv  x { string key | u32 value_type | value }
 *   n_tensors x { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset (relative to data) }
 *   padding to `alignment` | tensor data
 *   string = u64 length + bytes;  array value = u32 element_type + u64 count + elements
 * </pre>
 */
final class GgufParser {
    static final long DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    /** Real files never nest arrays; the cap keeps a crafted file from overflowing the stack. */
    static final int MAX_ARRAY_DEPTH = 8;
    /** Smallest encoded metadata entry: empty key (8) + type (4) + 1-byte value. */
    private static final int MIN_KV_BYTES = 13;
    /** Smallest encoded tensor info: empty name (8) + n_dims (4) + type (4) + offset (8). */
    private static final int MIN_TENSOR_INFO_BYTES = 24;

    record Header(int version, long alignment, Map<String, Object> metadata, Map<String, GgufValueType> types,
                  List<GgufTensorInfo> tensors, long dataOffset) {}

    private final GgufCursor in;

    private GgufParser(Path file, MemorySegment seg) {
        this.in = new GgufCursor(file, seg);
    }

    static Header parse(Path file, MemorySegment seg) throws GgufFormatException {
        return new GgufParser(file, seg).header();
    }

    private Header header() throws GgufFormatException {
        int magic = in.i32("magic");
        if (magic != 0x46554747) { // "GGUF" read as a little-endian u32
            throw in.error(String.format("bad magic 0x%08x (expected \"GGUF\"): not a GGUF file", magic));
        }
        int version = in.i32("version");
        if (version == 1) throw in.error("GGUF version 1 is not supported (only versions 2 and 3)");
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            throw in.error("big-endian GGUF files are not supported");
        }
        if (version != 2 && version != 3) {
            throw in.error("unsupported GGUF version " + Integer.toUnsignedString(version) + " (only 2 and 3)");
        }
        int nTensors = in.count(MIN_TENSOR_INFO_BYTES, "tensor count");
        int nKv = in.count(MIN_KV_BYTES, "metadata entry count");

        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new LinkedHashMap<>();
        for (int i = 0; i < nKv; i++) {
            long at = in.pos();
            String key = in.string("metadata key #" + i);
            if (metadata.containsKey(key)) throw in.error("duplicate metadata key '" + key + "' at offset " + at);
            GgufValueType type = valueType("value type of metadata key '" + key + "'");
            metadata.put(key, value(type, key, 0));
            types.put(key, type);
        }
        long alignment = alignment(metadata.get("general.alignment"));
        List<GgufTensorInfo> tensors = tensorInfos(nTensors, alignment);
        return new Header(version, alignment, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(types), tensors, dataStart);
    }

    private GgufValueType valueType(String what) throws GgufFormatException {
        long at = in.pos();
        int id = in.i32(what);
        GgufValueType t = GgufValueType.fromId(id);
        if (t == null) throw in.error("unknown " + what + " id " + Integer.toUnsignedString(id) + " at offset " + at);
        return t;
    }

    private Object value(GgufValueType type, String key, int depth) throws GgufFormatException {
        String what = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> in.u8(what);
            case INT8 -> (int) (byte) in.u8(what);
            case UINT16 -> in.u16(what);
            case INT16 -> (int) (short) in.u16(what);
            case UINT32 -> Integer.toUnsignedLong(in.i32(what));
            case INT32 -> in.i32(what);
            case FLOAT32 -> in.f32(what);
            case BOOL -> bool(in.u8(what), key);
            case STRING -> in.string(what);
            case UINT64, INT64 -> in.i64(what);
            case FLOAT64 -> in.f64(what);
            case ARRAY -> array(key, depth);
        };
    }

    private boolean bool(int b, String key) throws GgufFormatException {
        if (b > 1) throw in.error("bool value of '" + key + "' is " + b + " (expected 0 or 1) at offset " + (in.pos() - 1));
        return b == 1;
    }

    private GgufArray array(String key, int depth) throws GgufFormatException {
        if (depth >= MAX_ARRAY_DEPTH) throw in.error("arrays nested deeper than " + MAX_ARRAY_DEPTH + " in '" + key + "'");
        GgufValueType et = valueType("array element type of '" + key + "'");
        int n = in.count(et.size(), "array length of '" + key + "'");
        MemorySegment seg = in.segment();
        long p = in.pos();
        // Fixed-size elements: the whole array was bounds-checked by count(); read it in bulk.
        GgufArray result = switch (et) {
            case UINT8, INT8, UINT16, INT16 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = switch (et) {
                        case UINT8 -> Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p + i));
                        case INT8 -> seg.get(ValueLayout.JAVA_BYTE, p + i);
                        case UINT16 -> Short.toUnsignedInt(seg.get(GgufCursor.U16, p + 2L * i));
                        default -> seg.get(GgufCursor.U16, p + 2L * i);
                    };
                }
                yield GgufArray.ofInts(et, a);
            }
            case INT32 -> GgufArray.ofInts(et, copy(seg, p, new int[n]));
            case UINT32 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = Integer.toUnsignedLong(seg.get(GgufCursor.I32, p + 4L * i));
                yield GgufArray.ofLongs(et, a);
            }
            case UINT64, INT64 -> {
                long[] a = new long[n];
                MemorySegment.copy(seg, GgufCursor.I64, p, a, 0, n);
                yield GgufArray.ofLongs(et, a);
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                MemorySegment.copy(seg, GgufCursor.F32, p, a, 0, n);
                yield GgufArray.ofFloats(a);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                MemorySegment.copy(seg, GgufCursor.F64, p, a, 0, n);
                yield GgufArray.ofDoubles(a);
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = bool(Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p + i)), key);
                yield GgufArray.ofBools(a);
            }
            case STRING, ARRAY -> null;
        };
        if (result != null) {
            in.skip((long) n * et.size(), "array '" + key + "'");
            return result;
        }
        // Variable-size elements: read one by one; each read is bounds-checked.
        Object[] a = new Object[n];
        for (int i = 0; i < n; i++) {
            if (et == GgufValueType.STRING) {
                a[i] = in.string("element " + i + " of '" + key + "'");
            } else {
                a[i] = array(key + "[" + i + "]", depth + 1);
            }
        }
        return GgufArray.ofObjects(et, a);
    }

    private static int[] copy(MemorySegment seg, long p, int[] a) {
        MemorySegment.copy(seg, GgufCursor.I32, p, a, 0, a.length);
        return a;
    }

    private long alignment(Object v) throws GgufFormatException {
        if (v == null) return DEFAULT_ALIGNMENT;
        if (!(v instanceof Integer || v instanceof Long)) throw in.error("general.alignment is not an integer: " + v);
        long a = ((Number) v).longValue();
        if (a <= 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw in.error("general.alignment " + a + " is not a power of two between 1 and 2^30");
        }
        return a;
    }

    private List<GgufTensorInfo> tensorInfos(int n, long alignment) throws GgufFormatException {
        // Pass 1: read names, dims, types and relative offsets. Lists grow as entries parse (no allocation
        // sized by the untrusted count), so a corrupt count fails on the first unreadable entry.
        record Raw(String name, long[] ne, DType type, long rel, long bytes) {}
        List<Raw> raw = new ArrayList<>(Math.min(n, 1024));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long at = in.pos();
            String name = in.string("name of tensor #" + i);
            if (!seen.add(name)) throw in.error("duplicate tensor name '" + name + "' at offset " + at);
            int nDims = in.i32("n_dims of tensor '" + name + "'");
            if (nDims < 0 || nDims > MAX_DIMS) {
                throw in.error("tensor '" + name + "' has " + Integer.toUnsignedString(nDims) + " dimensions (at most " + MAX_DIMS + ")");
            }
            long[] ne = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                ne[d] = in.i64("ne[" + d + "] of tensor '" + name + "'");
                if (ne[d] < 0) throw in.error("tensor '" + name + "' has dimension ne[" + d + "] = " + Long.toUnsignedString(ne[d]));
            }
            long typeAt = in.pos();
            int typeId = in.i32("type of tensor '" + name + "'");
            DType type = DType.fromGgmlId(typeId);
            if (type == null) {
                throw in.error("tensor '" + name + "' has unknown or unsupported ggml type id " + Integer.toUnsignedString(typeId) + " at offset " + typeAt);
            }
            long rel = in.i64("data offset of tensor '" + name + "'");
            raw.add(new Raw(name, ne, type, rel, tensorBytes(name, type, ne)));
        }
        dataStart = alignUp(in.pos(), alignment);
        // Pass 2: place each tensor in the file and check bounds and alignment.
        long fileSize = in.segment().byteSize();
        List<GgufTensorInfo> out = new ArrayList<>(n);
        for (Raw t : raw) {
            if (t.rel() < 0 || t.rel() % alignment != 0) {
                throw in.error("tensor '" + t.name() + "' data offset " + Long.toUnsignedString(t.rel()) + " is not a multiple of the alignment " + alignment);
            }
            long start = dataStart + t.rel();
            if (t.rel() > fileSize || start > fileSize || t.bytes() > fileSize - start) {
                throw in.error("tensor '" + t.name() + "' data [" + start + ", +" + t.bytes()
                        + ") is out of the file bounds (file is " + fileSize + " bytes)");
            }
            out.add(new GgufTensorInfo(t.name(), t.type(), t.ne(), start, t.bytes()));
        }
        checkNoOverlap(out);
        return Collections.unmodifiableList(out);
    }

    private long tensorBytes(String name, DType type, long[] ne) throws GgufFormatException {
        long row = ne.length == 0 ? 1 : ne[0];
        if (row % type.blockSize() != 0) {
            throw in.error("tensor '" + name + "' row length " + row + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        try {
            long b = type.rowBytes(row);
            for (int d = 1; d < ne.length; d++) b = Math.multiplyExact(b, ne[d]);
            // The element count must fit too (bytes can be 0 while other dimensions are huge).
            long elements = 1;
            for (long d : ne) elements = Math.multiplyExact(elements, d);
            assert elements >= 0;
            return b;
        } catch (ArithmeticException e) {
            throw in.error("tensor '" + name + "' size overflows 64 bits: ne=" + java.util.Arrays.toString(ne));
        }
    }

    private void checkNoOverlap(List<GgufTensorInfo> tensors) throws GgufFormatException {
        List<GgufTensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < sorted.size(); i++) {
            GgufTensorInfo a = sorted.get(i - 1), b = sorted.get(i);
            if (a.bytes() > 0 && b.bytes() > 0 && a.offset() + a.bytes() > b.offset()) {
                throw in.error("tensor data of '" + a.name() + "' and '" + b.name() + "' overlap");
            }
        }
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private long dataStart;
}
