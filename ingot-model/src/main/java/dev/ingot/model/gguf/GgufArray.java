package dev.ingot.model.gguf;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable GGUF metadata array that remembers its element type (so a writer can reproduce it exactly).
 * Numeric elements are held in a primitive array, not as boxed objects: a 150k-entry token-type or score
 * array costs 0.6 MB instead of several. Elements are boxed on {@link #get} following the mapping of
 * {@link GgufFile#metadata()}.
 *
 * <p>Storage by element type: UINT8/INT8/UINT16/INT16/INT32 in {@code int[]}; UINT32/INT64/UINT64 in
 * {@code long[]}; FLOAT32 in {@code float[]}; FLOAT64 in {@code double[]}; BOOL in {@code boolean[]};
 * STRING and ARRAY in {@code Object[]}.
 */
public final class GgufArray extends AbstractList<Object> implements RandomAccess {
    private final GgufValueType elementType;
    private final Object storage;
    private final int size;

    private GgufArray(GgufValueType elementType, Object storage, int size) {
        this.elementType = elementType;
        this.storage = storage;
        this.size = size;
    }

    static GgufArray ofInts(GgufValueType t, int[] v) { return new GgufArray(t, v, v.length); }
    static GgufArray ofLongs(GgufValueType t, long[] v) { return new GgufArray(t, v, v.length); }
    static GgufArray ofFloats(float[] v) { return new GgufArray(GgufValueType.FLOAT32, v, v.length); }
    static GgufArray ofDoubles(double[] v) { return new GgufArray(GgufValueType.FLOAT64, v, v.length); }
    static GgufArray ofBools(boolean[] v) { return new GgufArray(GgufValueType.BOOL, v, v.length); }
    static GgufArray ofObjects(GgufValueType t, Object[] v) { return new GgufArray(t, v, v.length); }

    /** A STRING array (copies the list). */
    public static GgufArray ofStrings(List<String> values) {
        return ofObjects(GgufValueType.STRING, values.stream().map(Objects::requireNonNull).toArray());
    }

    /** A FLOAT32 array (copies). */
    public static GgufArray ofFloat32(float[] values) { return ofFloats(values.clone()); }

    /** An INT32 array (copies). */
    public static GgufArray ofInt32(int[] values) { return ofInts(GgufValueType.INT32, values.clone()); }

    /** The element type as stored in the file. */
    public GgufValueType elementType() { return elementType; }

    @Override
    public int size() { return size; }

    @Override
    public Object get(int i) {
        Objects.checkIndex(i, size);
        return switch (storage) {
            case int[] a -> a[i];
            case long[] a -> a[i];
            case float[] a -> a[i];
            case double[] a -> a[i];
            case boolean[] a -> a[i];
            case Object[] a -> a[i];
            default -> throw new IllegalStateException("unreachable storage " + storage.getClass());
        };
    }

    /** Elements as {@code float[]} (any numeric element type, converted like a Java cast), or null if not numeric. */
    float[] toFloats() {
        float[] out = new float[size];
        switch (storage) {
            case float[] a -> System.arraycopy(a, 0, out, 0, size);
            case int[] a -> { for (int i = 0; i < size; i++) out[i] = a[i]; }
            case long[] a -> { for (int i = 0; i < size; i++) out[i] = a[i]; }
            case double[] a -> { for (int i = 0; i < size; i++) out[i] = (float) a[i]; }
            default -> { return null; }
        }
        return out;
    }

    /** Elements as {@code int[]} (integer element types; 64-bit values must fit in an int), or null if not integer. */
    int[] toInts() {
        return switch (storage) {
            case int[] a -> a.clone();
            case long[] a -> {
                int[] out = new int[size];
                for (int i = 0; i < size; i++) out[i] = Math.toIntExact(a[i]);
                yield out;
            }
            default -> null;
        };
    }
}
