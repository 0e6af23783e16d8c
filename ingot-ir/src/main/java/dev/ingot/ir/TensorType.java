package dev.ingot.ir;

import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.Locale;
import java.util.Objects;

/** Element type and symbolic shape of an SSA value. Printed as {@code f32[T, 256]}. */
public record TensorType(DType dtype, Shape shape) {
    public TensorType {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    public static TensorType of(DType dtype, Object... dims) {
        return new TensorType(dtype, Shape.of(dims));
    }

    public int rank() { return shape.rank(); }

    public TensorType withShape(Shape s) { return new TensorType(dtype, s); }

    public TensorType withDType(DType d) { return new TensorType(d, shape); }

    /** Lower-case type name as printed: {@code f32}, {@code q4_0}, {@code bool}. */
    public static String dtypeName(DType d) { return d.name().toLowerCase(Locale.ROOT); }

    @Override public String toString() { return dtypeName(dtype) + shape; }
}
