package dev.ingot.ir.interp;

import dev.ingot.ir.SegmentReader;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A concrete tensor for the reference interpreter: dtype, row-major shape and data. Heap storage by dtype:
 * F32/F16/BF16 in {@code float[]} (F16/BF16 values already rounded to their precision), F64 {@code double[]},
 * I16/I32 {@code int[]}, I64 {@code long[]}, I8/U8/BOOL {@code byte[]} (BOOL is 0/1). External data (weights)
 * stays a little-endian {@link MemorySegment} in its storage dtype, quantised or not, and is never copied.
 * Tensors are treated as immutable except KV caches, which {@code kv_write} updates in place.
 */
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final Object data;

    private Tensor(DType dtype, long[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        long n = numel(shape);
        if (!(data instanceof MemorySegment) && length(data) != n) {
            throw new IllegalArgumentException(dtype + Arrays.toString(shape) + " needs " + n + " elements, data has " + length(data));
        }
    }

    public static Tensor f32(float[] data, long... shape) { return new Tensor(DType.F32, shape, data); }

    public static Tensor i32(int[] data, long... shape) { return new Tensor(DType.I32, shape, data); }

    public static Tensor i64(long[] data, long... shape) { return new Tensor(DType.I64, shape, data); }

    public static Tensor bool(boolean[] data, long... shape) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (data[i] ? 1 : 0);
        return new Tensor(DType.BOOL, shape, b);
    }

    /** Heap data of the storage class {@link #zeros} would allocate for this dtype. */
    public static Tensor of(DType dtype, Object data, long... shape) {
        if (data.getClass() != storageClass(dtype)) {
            throw new IllegalArgumentException(dtype + " is stored as " + storageClass(dtype).getSimpleName() + ", got " + data.getClass().getSimpleName());
        }
        return new Tensor(dtype, shape, data);
    }

    /** A view of external little-endian data (weights); quantised dtypes stay quantised. */
    public static Tensor external(DType dtype, MemorySegment data, long... shape) {
        return new Tensor(dtype, shape, data);
    }

    public static Tensor zeros(DType dtype, long... shape) {
        int n = Math.toIntExact(numel(shape));
        Class<?> c = storageClass(dtype);
        Object d = c == float[].class ? new float[n] : c == double[].class ? new double[n]
                : c == int[].class ? new int[n] : c == long[].class ? new long[n] : new byte[n];
        return new Tensor(dtype, shape, d);
    }

    static Class<?> storageClass(DType d) {
        return switch (d) {
            case F32, F16, BF16 -> float[].class;
            case F64 -> double[].class;
            case I16, I32 -> int[].class;
            case I64 -> long[].class;
            case I8, U8, BOOL -> byte[].class;
            default -> throw new IllegalArgumentException("no heap storage for " + d + " (quantised data stays external)");
        };
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int i) { return shape[i < 0 ? i + shape.length : i]; }

    public long numel() { return numel(shape); }

    static long numel(long[] s) {
        long n = 1;
        for (long d : s) n = Math.multiplyExact(n, d);
        return n;
    }

    public boolean isExternal() { return data instanceof MemorySegment; }

    public MemorySegment segment() { return (MemorySegment) data; }

    /** The backing float[] of an F32/F16/BF16 heap tensor (shared, not copied). */
    public float[] floats() { return cast(float[].class); }

    /** F32 values for reading: the backing array of a heap float tensor, else a converted copy. */
    public float[] floatsForRead() { return data instanceof float[] a ? a : toFloatArray(); }

    public int[] ints() { return cast(int[].class); }

    public long[] longs() { return cast(long[].class); }

    public byte[] bytes() { return cast(byte[].class); }

    public double[] doubles() { return cast(double[].class); }

    private <A> A cast(Class<A> c) {
        if (!c.isInstance(data)) throw new IllegalStateException(this + " is not stored as " + c.getSimpleName());
        return c.cast(data);
    }

    /** Same data under another shape of equal element count (no copy). */
    public Tensor reshape(long... newShape) {
        if (numel(newShape) != numel()) throw new IllegalArgumentException("cannot reshape " + this + " to " + Arrays.toString(newShape));
        return new Tensor(dtype, newShape, data);
    }

    /** Element {@code i} as double (plain dtypes; external plain data read through {@link SegmentReader}). */
    public double getDouble(long i) {
        return switch (data) {
            case float[] a -> a[(int) i];
            case double[] a -> a[(int) i];
            case int[] a -> a[(int) i];
            case long[] a -> a[(int) i];
            case byte[] a -> dtype == DType.U8 || dtype == DType.BOOL ? a[(int) i] & 0xFF : a[(int) i];
            case MemorySegment s -> SegmentReader.getDouble(dtype, s, i);
            default -> throw new IllegalStateException();
        };
    }

    /** Element {@code i} as long (integers exactly; floats truncated). */
    public long getLong(long i) {
        return switch (data) {
            case long[] a -> a[(int) i];
            case int[] a -> a[(int) i];
            case MemorySegment s -> SegmentReader.getLong(dtype, s, i);
            default -> (long) getDouble(i);
        };
    }

    /** Stores {@code v} rounded to this dtype (F16/BF16 to nearest even; integers truncate; BOOL is v != 0). */
    public void setDouble(long i, double v) {
        int k = (int) i;
        switch (data) {
            case float[] a -> a[k] = round(dtype, v);
            case double[] a -> a[k] = v;
            case int[] a -> a[k] = dtype == DType.I16 ? (short) (long) v : (int) (long) v;
            case long[] a -> a[k] = (long) v;
            case byte[] a -> a[k] = dtype == DType.BOOL ? (byte) (v != 0 ? 1 : 0) : (byte) (long) v;
            default -> throw new IllegalStateException("cannot write to external tensor " + this);
        }
    }

    /** Stores an integer exactly (for I64 beyond 2^53). */
    public void setLong(long i, long v) {
        switch (data) {
            case long[] a -> a[(int) i] = v;
            case int[] a -> a[(int) i] = dtype == DType.I16 ? (short) v : (int) v;
            case byte[] a -> a[(int) i] = dtype == DType.BOOL ? (byte) (v != 0 ? 1 : 0) : (byte) v;
            default -> setDouble(i, v);
        }
    }

    /** Copies element {@code si} of {@code src} (same dtype) to element {@code di} of this, exactly. */
    void copyFrom(long di, Tensor src, long si) {
        if (data instanceof long[] || data instanceof int[] || data instanceof byte[]) setLong(di, src.getLong(si));
        else setDouble(di, src.getDouble(si));
    }

    static float round(DType d, double v) {
        float f = (float) v;
        return switch (d) {
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(f));
            case BF16 -> SegmentReader.Bf16.roundToFloat(f);
            default -> f;
        };
    }

    /** All elements as a new float[] (dequantising external quantised data). */
    public float[] toFloatArray() {
        int n = Math.toIntExact(numel());
        if (data instanceof float[] a) return a.clone();
        float[] out = new float[n];
        if (data instanceof MemorySegment && (dtype.isQuantized() || dtype == DType.F16 || dtype == DType.BF16 || dtype == DType.F32)) {
            RowReader reader = new RowReader(this);
            int cols = (int) (shape.length == 0 ? 1 : shape[shape.length - 1]);
            for (int r = 0; r < n / Math.max(cols, 1); r++) reader.row(r, out, r * cols);
            return out;
        }
        for (int i = 0; i < n; i++) out[i] = (float) getDouble(i);
        return out;
    }

    private static long length(Object d) {
        return switch (d) {
            case float[] a -> a.length;
            case double[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case byte[] a -> a.length;
            default -> throw new IllegalArgumentException("unsupported tensor data " + d.getClass());
        };
    }

    @Override public String toString() {
        return dtype.name().toLowerCase(java.util.Locale.ROOT) + Arrays.toString(shape) + (isExternal() ? " (external)" : "");
    }

    /**
     * The elements as little-endian bytes of this dtype in a new heap segment (exact, integers included): the
     * payload of a {@code constant} holding this tensor, e.g. for constant folding.
     */
    public MemorySegment toSegment() {
        if (dtype.isQuantized()) throw new IllegalStateException("quantised data has no element-wise encoding: " + this);
        long n = numel();
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(Math.max(1, n) * dtype.blockBytes())]);
        boolean integer = !dtype.isFloatingPoint();
        for (long i = 0; i < n; i++) {
            if (integer) SegmentReader.putLong(dtype, seg, i, getLong(i));
            else SegmentReader.put(dtype, seg, i, getDouble(i));
        }
        return seg;
    }

    /** {@link #toString()} plus the first {@code max} elements, for failure messages and traces. */
    public String preview(int max) {
        StringBuilder sb = new StringBuilder(toString()).append(" [");
        long n = dtype.isQuantized() ? 0 : Math.min(numel(), max);
        boolean integer = !dtype.isFloatingPoint();
        for (long i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(integer ? String.valueOf(getLong(i)) : String.valueOf((float) getDouble(i)));
        }
        return sb.append(numel() > n ? ", ...]" : "]").toString();
    }
}
