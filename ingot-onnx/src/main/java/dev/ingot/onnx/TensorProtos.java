package dev.ingot.onnx;

import com.google.protobuf.ByteString;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.proto.Onnx.StringStringEntryProto;
import dev.ingot.onnx.proto.Onnx.TensorProto;
import dev.ingot.onnx.proto.Onnx.TensorProto.DataType;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * {@code TensorProto} to and from interpreter {@link Tensor}s. Data comes from {@code raw_data} (little-endian,
 * fixed width), the typed fields ({@code float_data}, {@code int32_data} which also carries bool/int8/uint8/int16
 * and float16 bits, {@code int64_data}, {@code double_data}), or an external file relative to the model
 * ({@code location}, {@code offset}, {@code length}), memory-mapped and never copied.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** The Ingot dtype of an ONNX {@code TensorProto.DataType} number. */
    public static DType dtype(int onnxType) {
        DataType t = DataType.forNumber(onnxType);
        return switch (t == null ? DataType.UNDEFINED : t) {
            case FLOAT -> DType.F32;
            case DOUBLE -> DType.F64;
            case FLOAT16 -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            case INT8 -> DType.I8;
            case UINT8 -> DType.U8;
            case INT16 -> DType.I16;
            case INT32 -> DType.I32;
            case INT64 -> DType.I64;
            case BOOL -> DType.BOOL;
            default -> throw new OnnxImportException("dtype " + dtypeName(onnxType) + " is not supported");
        };
    }

    /** The ONNX name of a data type number ({@code float16}, {@code string}). */
    public static String dtypeName(int onnxType) {
        DataType t = DataType.forNumber(onnxType);
        return t == null ? "#" + onnxType : t.name().toLowerCase(Locale.ROOT);
    }

    /** The ONNX data type number of an Ingot dtype. */
    public static int onnxType(DType d) {
        return switch (d) {
            case F32 -> DataType.FLOAT_VALUE;
            case F64 -> DataType.DOUBLE_VALUE;
            case F16 -> DataType.FLOAT16_VALUE;
            case BF16 -> DataType.BFLOAT16_VALUE;
            case I8 -> DataType.INT8_VALUE;
            case U8 -> DataType.UINT8_VALUE;
            case I16 -> DataType.INT16_VALUE;
            case I32 -> DataType.INT32_VALUE;
            case I64 -> DataType.INT64_VALUE;
            case BOOL -> DataType.BOOL_VALUE;
            default -> throw new IllegalArgumentException("no ONNX type for " + d);
        };
    }

    /** Reads a serialized TensorProto file (the backend tests' {@code input_0.pb}). */
    public static TensorProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return TensorProto.parseFrom(in);
        }
    }

    /**
     * The tensor's elements as little-endian bytes of its dtype. External data is mapped from {@code baseDir}
     * with {@code arena}'s lifetime.
     */
    public static MemorySegment bytes(TensorProto t, Path baseDir, Arena arena) {
        DType d = dtype(t.getDataType());
        long n = numel(t);
        long need = n * d.blockBytes();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) return external(t, baseDir, arena, need);
        if (!t.getRawData().isEmpty()) {
            ByteString raw = t.getRawData();
            if (raw.size() != need) throw new OnnxImportException("tensor '" + t.getName() + "': raw_data has " + raw.size() + " bytes, " + d + shape(t) + " needs " + need);
            return MemorySegment.ofArray(raw.toByteArray());
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) Math.max(1, need)]);
        int have = switch (d) {
            case F32 -> t.getFloatDataCount();
            case F64 -> t.getDoubleDataCount();
            case I64 -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (have != n) throw new OnnxImportException("tensor '" + t.getName() + "': " + have + " typed elements, " + d + shape(t) + " needs " + n);
        for (int i = 0; i < n; i++) {
            switch (d) {
                case F32 -> SegmentReader.put(d, seg, i, t.getFloatData(i));
                case F64 -> SegmentReader.put(d, seg, i, t.getDoubleData(i));
                case I64 -> SegmentReader.putLong(d, seg, i, t.getInt64Data(i));
                // float16/bfloat16 bits travel in int32_data: store them untouched
                case F16, BF16 -> SegmentReader.putLong(DType.I16, seg, i, t.getInt32Data(i));
                default -> SegmentReader.putLong(d, seg, i, t.getInt32Data(i));
            }
        }
        return seg;
    }

    private static MemorySegment external(TensorProto t, Path baseDir, Arena arena, long need) {
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> { } // checksum and unknown keys do not change the bytes
            }
        }
        if (location == null) throw new OnnxImportException("tensor '" + t.getName() + "': external data without a location");
        if (length >= 0 && length != need) throw new OnnxImportException("tensor '" + t.getName() + "': external length " + length + " != " + need);
        Path file = baseDir.resolve(location).normalize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + need > ch.size()) throw new OnnxImportException("tensor '" + t.getName() + "': " + file + " is shorter than offset " + offset + " + " + need);
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, Math.max(1, need), arena);
        } catch (IOException e) {
            throw new OnnxImportException("tensor '" + t.getName() + "': cannot read external data " + file + ": " + e.getMessage(), e);
        }
    }

    /** A heap tensor holding a copy of the proto's elements. */
    public static Tensor toTensor(TensorProto t, Path baseDir) {
        DType d = dtype(t.getDataType());
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        try (Arena arena = Arena.ofConfined()) {
            Tensor ext = Tensor.external(d, bytes(t, baseDir, arena), shape);
            Tensor out = Tensor.zeros(d, shape);
            boolean fp = d.isFloatingPoint();
            for (long i = 0; i < out.numel(); i++) {
                if (fp) out.setDouble(i, ext.getDouble(i));
                else out.setLong(i, ext.getLong(i));
            }
            return out;
        }
    }

    /** A TensorProto (raw_data) holding {@code t}, for writing test data and outputs. */
    public static TensorProto fromTensor(Tensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(onnxType(t.dtype()));
        for (long s : t.shape()) b.addDims(s);
        return b.setRawData(ByteString.copyFrom(t.toSegment().asSlice(0, t.numel() * t.dtype().blockBytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))).build();
    }

    static long numel(TensorProto t) {
        long n = 1;
        for (long s : t.getDimsList()) n = Math.multiplyExact(n, s);
        return n;
    }

    private static String shape(TensorProto t) { return t.getDimsList().toString(); }
}
