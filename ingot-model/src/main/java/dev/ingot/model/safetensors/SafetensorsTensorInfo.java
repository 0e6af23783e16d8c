package dev.ingot.model.safetensors;

import dev.ingot.tensor.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file.
 *
 * @param name   Hugging Face name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param type   element type (F32, F16, BF16, ...)
 * @param shape  row-major dimensions, outermost first (a Linear weight is {@code [out_features, in_features]})
 * @param offset absolute offset of the first byte in the file
 * @param bytes  size of the data: product of the shape times the element size
 */
public record SafetensorsTensorInfo(String name, DType type, long[] shape, long offset, long bytes) {
    public SafetensorsTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    @Override
    public long[] shape() { return shape.clone(); }

    /** Dimensions in GGUF order, innermost first (the reverse of {@link #shape()}). */
    public long[] ne() {
        long[] ne = new long[shape.length];
        for (int i = 0; i < shape.length; i++) ne[i] = shape[shape.length - 1 - i];
        return ne;
    }

    public long elements() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensorInfo t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && offset == t.offset && bytes == t.bytes;
    }

    @Override
    public int hashCode() { return Objects.hash(name, type, Arrays.hashCode(shape), offset, bytes); }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset + " (" + bytes + " bytes)";
    }
}
