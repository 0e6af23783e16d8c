package dev.ingot.onnx;

import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import java.util.List;

/**
 * What the importer knows about one ONNX value: an import-time constant ({@code constant}), an I64 shape vector
 * whose elements may be symbolic ({@code dims}; {@code scalar} when it is a 0-d element such as
 * {@code Gather(Shape(x), 0)}), and/or the IR value computing it at run time ({@code ir}). Constants get an IR
 * value only when a run-time op reads them.
 */
final class OnnxValue {
    final Tensor constant;
    final List<Dim> dims;
    final boolean scalar;
    Value ir;

    private OnnxValue(Value ir, Tensor constant, List<Dim> dims, boolean scalar) {
        this.ir = ir;
        this.constant = constant;
        this.dims = dims == null ? null : List.copyOf(dims);
        this.scalar = scalar;
    }

    static OnnxValue runtime(Value v) { return new OnnxValue(v, null, null, false); }

    static OnnxValue constant(Tensor t) { return new OnnxValue(null, t, null, false); }

    /** A shape vector; all-constant vectors become plain I64 constants so folding sees them. */
    static OnnxValue dims(List<Dim> dims, boolean scalar) {
        if (dims.stream().allMatch(Dim::isConstant)) {
            long[] v = dims.stream().mapToLong(Dim::constant).toArray();
            return constant(scalar ? Tensor.i64(v) : Tensor.i64(v, v.length));
        }
        return new OnnxValue(null, null, dims, scalar);
    }

    boolean isConstant() { return constant != null; }
}
