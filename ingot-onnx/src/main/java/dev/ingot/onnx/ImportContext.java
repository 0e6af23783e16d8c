package dev.ingot.onnx;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * The ONNX value table of one import: ONNX names to {@link OnnxValue}s, over the {@link GraphBuilder} that
 * receives run-time ops. Constants are turned into IR {@code constant}s lazily, the first time a run-time op
 * reads them, so shape arithmetic and folded subgraphs leave nothing behind in the graph.
 */
final class ImportContext {
    /** Float constants with at least this many elements become {@code weight}s (external bytes, not printed). */
    private static final long WEIGHT_MIN_ELEMENTS = 64;

    final GraphBuilder builder;
    final int opset;
    private final Map<String, OnnxValue> values = new HashMap<>();
    private final Set<String> irNames = new HashSet<>();

    ImportContext(GraphBuilder builder, int opset) {
        this.builder = builder;
        this.opset = opset;
    }

    void define(String name, OnnxValue v) {
        if (name.isEmpty()) return; // an omitted optional output
        values.put(name, v);
    }

    /** {@code want} as an IR value name if no IR value has it yet (then it is taken), else null (unnamed). */
    String claim(String want) {
        return want != null && !want.isEmpty() && irNames.add(want) ? want : null;
    }

    boolean has(String name) { return values.containsKey(name); }

    OnnxValue get(String name) {
        OnnxValue v = values.get(name);
        if (v == null) throw new OnnxImportException("value '" + name + "' is used before it is defined");
        return v;
    }

    /** The import-time constant, or null if the value is only known at run time (or has symbolic dims). */
    Tensor constant(String name) { return get(name).constant; }

    /** The value as an IR value, materialising a constant on first use. */
    Value ir(String name) {
        OnnxValue v = get(name);
        if (v.ir != null) return v.ir;
        if (v.constant != null) {
            v.ir = materialize(v.constant, name);
            return v.ir;
        }
        throw new OnnxImportException("value '" + name + "' is a shape vector with symbolic dims " + v.dims
                + " used as run-time data (only shape arguments may be symbolic)");
    }

    private Value materialize(Tensor t, String name) {
        TensorType type = new TensorType(t.dtype(), Shape.ofSizes(t.shape()));
        String irName = claim(name);
        if (t.dtype().isFloatingPoint() && t.numel() >= WEIGHT_MIN_ELEMENTS && irName != null) {
            return builder.weight(irName, t.dtype(), type.shape(), t.isExternal() ? t.segment() : t.toSegment());
        }
        return builder.constant(type, t.toSegment(), irName);
    }

    /** The value's type (constants and shape vectors included). */
    TensorType type(String name) {
        OnnxValue v = get(name);
        if (v.ir != null) return v.ir.type();
        if (v.constant != null) return new TensorType(v.constant.dtype(), Shape.ofSizes(v.constant.shape()));
        return v.scalar ? TensorType.of(DType.I64) : TensorType.of(DType.I64, v.dims.size());
    }

    /**
     * The elements of an integer vector known at import time as dims (shape arguments: Reshape, Expand,
     * ConstantOfShape); null when only known at run time.
     */
    List<Dim> dims(String name) {
        OnnxValue v = get(name);
        if (v.dims != null) return v.dims;
        if (v.constant == null) return null;
        List<Dim> out = new ArrayList<>();
        for (long i = 0; i < v.constant.numel(); i++) out.add(Dim.of(v.constant.getLong(i)));
        return out;
    }
}
