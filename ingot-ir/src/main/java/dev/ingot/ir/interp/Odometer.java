package dev.ingot.ir.interp;

/**
 * Walks the coordinates of a shape in row-major order while tracking, for each of several operands, the flat
 * offset {@code sum(coord[d] * strides[k][d])}. Broadcast operands use stride 0 on stretched dims.
 */
final class Odometer {
    private final long[] shape;
    private final long[] idx;
    private final long[][] strides;
    /** Current flat offset per operand. */
    final long[] off;

    Odometer(long[] shape, long[]... strides) {
        this.shape = shape;
        this.idx = new long[shape.length];
        this.strides = strides;
        this.off = new long[strides.length];
    }

    long coord(int d) { return idx[d]; }

    /** Advances to the next coordinate (wrapping to all-zero after the last). */
    void next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d]++;
            for (int k = 0; k < strides.length; k++) off[k] += strides[k][d];
            if (idx[d] < shape[d]) return;
            for (int k = 0; k < strides.length; k++) off[k] -= strides[k][d] * shape[d];
            idx[d] = 0;
        }
    }

    /** Row-major strides of {@code shape}. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** Strides of {@code in} right-aligned to {@code out} (numpy broadcasting): 0 where in has size 1 or no dim. */
    static long[] broadcastStrides(long[] in, long[] out) {
        long[] own = strides(in);
        long[] s = new long[out.length];
        for (int d = 0; d < out.length; d++) {
            int di = d - (out.length - in.length);
            if (di < 0 || in[di] == 1) s[d] = 0;
            else if (in[di] == out[d]) s[d] = own[di];
            else throw new IllegalArgumentException("cannot broadcast " + java.util.Arrays.toString(in) + " to " + java.util.Arrays.toString(out));
        }
        return s;
    }
}
