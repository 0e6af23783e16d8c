package dev.ingot.model.gguf;

/**
 * Metadata value types of GGUF ({@code gguf_type} in ggml), with their on-disk ids. {@link #size()} is the
 * encoded size of one value for fixed-size types, and the smallest possible encoded size for
 * {@link #STRING} (an empty string: its u64 length) and {@link #ARRAY} (u32 element type + u64 count); the
 * parser uses the minimum to reject counts that cannot fit in the file before allocating anything.
 */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4),
    BOOL(7, 1), STRING(8, 8), ARRAY(9, 12), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The id stored in the file. */
    public int id() { return id; }

    /** Encoded bytes of one value (fixed-size types) or the minimum encoded size (STRING, ARRAY). */
    public int size() { return size; }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public boolean isNumber() { return isInteger() || this == FLOAT32 || this == FLOAT64; }

    /** The type with this id, or {@code null} when the id is unknown. Ids equal ordinals by construction. */
    public static GgufValueType fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
