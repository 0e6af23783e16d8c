package dev.ingot.ir.interp;

import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;

/**
 * Reads rows (the last dim) of a 2-D-or-more tensor as F32, dequantising external data bit-exactly as llama.cpp
 * ({@link Dequant#row}). Heap F32/F16/BF16 rows are copied from their float[].
 */
final class RowReader {
    private final Tensor t;
    private final int cols;
    private final long rowBytes;

    RowReader(Tensor t) {
        this.t = t;
        this.cols = (int) (t.rank() == 0 ? 1 : t.dim(-1));
        this.rowBytes = t.isExternal() ? t.dtype().rowBytes(cols) : 0;
        if (t.isExternal() && !Dequant.supports(t.dtype())) {
            throw new IllegalArgumentException("cannot read rows of " + t + ": no dequantiser for " + t.dtype());
        }
    }

    int cols() { return cols; }

    /** Writes row {@code r} (cols floats) to {@code dst[off..]}. */
    void row(long r, float[] dst, int off) {
        if (t.isExternal()) {
            Dequant.row(t.dtype(), t.segment(), r * rowBytes, dst, off, cols);
        } else if (t.dtype() == DType.F32 || t.dtype() == DType.F16 || t.dtype() == DType.BF16) {
            System.arraycopy(t.floats(), Math.toIntExact(r * cols), dst, off, cols);
        } else {
            for (int i = 0; i < cols; i++) dst[off + i] = (float) t.getDouble(r * cols + i);
        }
    }
}
