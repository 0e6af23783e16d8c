package dev.ingot.ir;

import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ops without inputs that bring data into a graph; each carries its own type. */
public sealed interface SourceOp extends Op {
    TensorType type();

    @Override default TensorType infer(List<TensorType> in) {
        Checks.arity(this, in, 0, 0);
        return type();
    }

    /** A run-time input (token ids, positions, block tables, KV caches). Its value's name is its binding key. */
    record Input(TensorType type) implements SourceOp {
        @Override public String mnemonic() { return "input"; }

        @Override public Map<String, Object> attrs() { return Map.of(); }
    }

    /**
     * A named parameter whose bytes live outside the graph (a memory-mapped model file) and are never copied.
     * {@code data} holds the tensor in its storage dtype, row-major, little-endian; quantised tensors stay
     * quantised (rows of {@code dtype.rowBytes(lastDim)} bytes). The shape is static.
     */
    record Weight(TensorType type, MemorySegment data) implements SourceOp {
        public Weight {
            if (!type.shape().isStatic()) throw new IllegalArgumentException("weight shape must be static: " + type);
            long need = byteSize(type);
            if (data.byteSize() < need) {
                throw new IllegalArgumentException("weight " + type + " needs " + need + " bytes, segment has " + data.byteSize());
            }
        }

        @Override public String mnemonic() { return "weight"; }

        @Override public Map<String, Object> attrs() { return Map.of(); }
    }

    /** A literal tensor held in the graph (small: ONNX initialisers, scalars), same layout as {@link Weight}. */
    record Constant(TensorType type, MemorySegment data) implements SourceOp {
        public Constant {
            if (!type.shape().isStatic()) throw new IllegalArgumentException("constant shape must be static: " + type);
            if (data.byteSize() < byteSize(type)) {
                throw new IllegalArgumentException("constant " + type + " needs " + byteSize(type) + " bytes, has " + data.byteSize());
            }
        }

        @Override public String mnemonic() { return "constant"; }

        @Override public Map<String, Object> attrs() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", byteSize(type));
            return m;
        }
    }

    /**
     * Indices along one axis: {@code out[i0, ..., in] = i_axis}, of an integer or float dtype and any (symbolic)
     * shape. Position ids ({@code iota(i64[seq], 0)}) and arange-style index tensors come from here.
     */
    record Iota(TensorType type, int axis) implements SourceOp {
        public Iota {
            if (type.rank() == 0 || axis < -type.rank() || axis >= type.rank()) {
                throw new IllegalArgumentException("iota: axis " + axis + " out of range for " + type);
            }
            if (!(type.dtype() == DType.I32 || type.dtype() == DType.I64 || type.dtype() == DType.F32)) {
                throw new IllegalArgumentException("iota: dtype must be i32, i64 or f32, got " + type);
            }
        }

        @Override public String mnemonic() { return "iota"; }

        @Override public Map<String, Object> attrs() { return Op.attrsOf("axis", axis); }
    }

    /** Bytes of a static tensor of this type (quantised: whole blocks per row of the last dim). */
    static long byteSize(TensorType t) {
        long[] s = t.shape().staticSizes();
        if (s.length == 0) return t.dtype().rowBytes(1);
        long rows = 1;
        for (int i = 0; i < s.length - 1; i++) rows *= s[i];
        return Math.multiplyExact(rows, t.dtype().rowBytes(s[s.length - 1]));
    }
}
