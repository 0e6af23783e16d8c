package dev.ingot.compiler.program;

/**
 * A row-major [rows, cols] window into a program's arena (e.g. logits [L, V]). Valid until the next run of the
 * program that produced it; copy what must outlive that.
 */
public record FloatView(float[] data, int offset, int rows, int cols) {
    public float get(int r, int c) { return data[offset + r * cols + c]; }

    /** A copy of row {@code r}. */
    public float[] row(int r) {
        float[] out = new float[cols];
        System.arraycopy(data, offset + r * cols, out, 0, cols);
        return out;
    }

    /** Copies row {@code r} into {@code dst}. */
    public void copyRow(int r, float[] dst) { System.arraycopy(data, offset + r * cols, dst, 0, cols); }
}
