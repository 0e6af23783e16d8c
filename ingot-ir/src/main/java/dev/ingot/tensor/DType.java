package dev.ingot.tensor;

/**
 * Element types of tensors. Plain types have one element per "block"; quantised GGML types store
 * {@link #blockSize()} elements in {@link #blockBytes()} bytes (layouts as in ggml-common.h, documented
 * in {@code dev.ingot.tensor.quant}). {@link #ggmlId()} is the GGUF type id, or -1 where GGUF has none.
 */
public enum DType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    BF16(30, 1, 2),
    /** Not a GGUF type; used by graph IR (masks, ONNX bool tensors). One byte per element. */
    BOOL(-1, 1, 1),
    /** Not a GGUF type; unsigned bytes (ONNX uint8, quantised activations). */
    U8(-1, 1, 1);

    private final int ggmlId;
    private final int blockSize;
    private final int blockBytes;

    DType(int ggmlId, int blockSize, int blockBytes) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int ggmlId() { return ggmlId; }

    /** Elements per block (1 for plain types, 32 or 256 for quantised ones). */
    public int blockSize() { return blockSize; }

    /** Bytes per block. */
    public int blockBytes() { return blockBytes; }

    public boolean isQuantized() { return blockSize > 1; }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /**
     * Bytes needed for a row of {@code n} elements. Quantised rows must be a whole number of blocks.
     *
     * @throws IllegalArgumentException if {@code n} is not a multiple of the block size
     */
    public long rowBytes(long n) {
        if (n % blockSize != 0) {
            throw new IllegalArgumentException(this + ": " + n + " elements is not a multiple of the block size " + blockSize);
        }
        return Math.multiplyExact(n / blockSize, (long) blockBytes);
    }

    /** The type with this GGUF id, or {@code null} when the id is unknown. */
    public static DType fromGgmlId(int id) {
        for (DType t : values()) {
            if (t.ggmlId == id && id >= 0) return t;
        }
        return null;
    }
}
