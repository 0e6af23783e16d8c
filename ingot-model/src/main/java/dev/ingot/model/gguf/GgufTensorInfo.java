package dev.ingot.model.gguf;

import dev.ingot.tensor.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a GGUF file.
 *
 * @param name   tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param type   storage type; quantised rows are whole blocks
 * @param ne     dimensions in GGUF (ggml) order: {@code ne[0]} is the innermost, contiguous dimension (row
 *               length); {@code ne[1]} the number of rows of a matrix. 1 to 4 entries.
 * @param offset absolute offset of the first byte in the file (already includes the data-section start)
 * @param bytes  size of the tensor data: {@code type.rowBytes(ne[0]) * ne[1] * ne[2] * ne[3]}
 */
public record GgufTensorInfo(String name, DType type, long[] ne, long offset, long bytes) {

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        ne = ne.clone();
    }

    /** A copy of the GGUF-order dimensions. */
    @Override
    public long[] ne() { return ne.clone(); }

    /** Number of dimensions. */
    public int rank() { return ne.length; }

    /** Dimensions in row-major order, outermost first (the reverse of {@link #ne()}): a matrix is {@code [rows, cols]}. */
    public long[] shape() {
        long[] s = new long[ne.length];
        for (int i = 0; i < ne.length; i++) s[i] = ne[ne.length - 1 - i];
        return s;
    }

    /** Total number of elements. */
    public long elements() {
        long n = 1;
        for (long d : ne) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type && Arrays.equals(ne, t.ne)
                && offset == t.offset && bytes == t.bytes;
    }

    @Override
    public int hashCode() { return Objects.hash(name, type, Arrays.hashCode(ne), offset, bytes); }

    @Override
    public String toString() {
        return name + " " + type + " ne=" + Arrays.toString(ne) + " @" + offset + " (" + bytes + " bytes)";
    }
}
