package dev.ingot.model.safetensors;

import java.lang.foreign.MemorySegment;

/**
 * The row permutation between Hugging Face and GGUF order of llama Q/K projections (see
 * {@link HfTensorNames}). Rows are moved whole, so it works for any row encoding (F32, F16, BF16 or
 * quantised rows) and for 1-D biases (rows of one element). Layout: {@code rows = heads * d} with
 * {@code d} even; within head {@code h}, HF row {@code h*d + j*d/2 + i} is GGUF row {@code h*d + 2i + j}
 * for {@code i < d/2, j in {0, 1}}.
 */
public final class QkPermutation {
    private QkPermutation() {}

    /** Copies {@code src} (HF order, {@code rows} equal rows) to {@code dst} in GGUF order. */
    public static void hfToGguf(MemorySegment src, MemorySegment dst, long rows, int heads) {
        permute(src, dst, rows, heads, true);
    }

    /** The inverse of {@link #hfToGguf}. */
    public static void ggufToHf(MemorySegment src, MemorySegment dst, long rows, int heads) {
        permute(src, dst, rows, heads, false);
    }

    /** The GGUF row of HF row {@code r}. */
    public static long ggufRow(long r, long rows, int heads) {
        long d = rows / heads, half = d / 2;
        long h = r / d, within = r % d;
        long j = within / half, i = within % half;
        return h * d + 2 * i + j;
    }

    private static void permute(MemorySegment src, MemorySegment dst, long rows, int heads, boolean toGguf) {
        if (src.byteSize() != dst.byteSize()) {
            throw new IllegalArgumentException("source has " + src.byteSize() + " bytes, destination " + dst.byteSize());
        }
        if (heads <= 0 || rows <= 0 || rows % heads != 0 || (rows / heads) % 2 != 0 || src.byteSize() % rows != 0) {
            throw new IllegalArgumentException("cannot split " + rows + " rows (" + src.byteSize() + " bytes) into "
                    + heads + " heads of an even number of whole rows");
        }
        long rowBytes = src.byteSize() / rows;
        for (long r = 0; r < rows; r++) {
            long g = ggufRow(r, rows, heads);
            long from = toGguf ? r : g, to = toGguf ? g : r;
            MemorySegment.copy(src, from * rowBytes, dst, to * rowBytes, rowBytes);
        }
    }
}
