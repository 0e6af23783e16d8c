package dev.ingot.ir.interp;

import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.VecDot;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Matrix products with double accumulation: numpy matmul, {@code linear} against a possibly quantised weight
 * (each weight row dequantised once, then dotted with every input row), and embedding row gathers.
 */
final class LinalgKernels {
    private LinalgKernels() {}

    /** Weight rows per parallel task of {@link #linear}. */
    private static final int ROWS_PER_TASK = 64;

    /**
     * x [..., K] · w [N, K]ᵀ -> out [..., N]. Each weight row is dequantised once and dotted with every input
     * row; chunks of weight rows run in parallel when the product is large. Every output element is computed by
     * one task in a fixed order, so results do not depend on the thread count.
     */
    static Tensor linear(Tensor x, Tensor w, long[] outShape) {
        RowReader rows = new RowReader(w);
        int k = rows.cols();
        int n = (int) w.dim(0);
        float[] xs = x.floatsForRead();
        int m = xs.length / Math.max(k, 1);
        float[] out = new float[m * n];
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream range = IntStream.range(0, tasks);
        if ((long) m * n * k >= 1 << 20) range = range.parallel();
        range.forEach(task -> {
            float[] wr = new float[k];
            for (int j = task * ROWS_PER_TASK; j < Math.min(n, (task + 1) * ROWS_PER_TASK); j++) {
                rows.row(j, wr, 0);
                for (int r = 0; r < m; r++) out[r * n + j] = (float) dot(xs, r * k, wr, k);
            }
        });
        return Tensor.f32(out, outShape);
    }

    /**
     * {@link #linear} as llama.cpp's CPU backend computes it: activation rows quantised to the weight's vec-dot
     * type once, then integer block dot products per weight row ({@link VecDot}, float accumulation in C order).
     */
    static Tensor linearLlamaCpp(Tensor x, Tensor w, long[] outShape) {
        DType t = w.dtype();
        int k = (int) w.dim(-1), n = (int) w.dim(0);
        float[] xs = x.floatsForRead();
        int m = xs.length / Math.max(k, 1);
        byte[][] acts = new byte[m][];
        for (int r = 0; r < m; r++) acts[r] = VecDot.quantizeActivations(t, xs, r * k, k);
        int rowBytes = Math.toIntExact(t.rowBytes(k));
        float[] out = new float[m * n];
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream range = IntStream.range(0, tasks);
        if ((long) m * n * k >= 1 << 20) range = range.parallel();
        range.forEach(task -> {
            byte[] row = new byte[rowBytes];
            for (int j = task * ROWS_PER_TASK; j < Math.min(n, (task + 1) * ROWS_PER_TASK); j++) {
                MemorySegment.copy(w.segment(), ValueLayout.JAVA_BYTE, (long) j * rowBytes, row, 0, rowBytes);
                for (int r = 0; r < m; r++) out[r * n + j] = VecDot.dot(t, row, 0, acts[r], k);
            }
        });
        return Tensor.f32(out, outShape);
    }

    /**
     * Dot product of a[off..off+k) and b[0..k) in double. Four interleaved partial sums break the add latency
     * chain (4x faster on the JIT); the summation order is fixed, so results are deterministic.
     */
    static double dot(float[] a, int off, float[] b, int k) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < k; i += 4) {
            s0 += (double) a[off + i] * b[i];
            s1 += (double) a[off + i + 1] * b[i + 1];
            s2 += (double) a[off + i + 2] * b[i + 2];
            s3 += (double) a[off + i + 3] * b[i + 3];
        }
        for (; i < k; i++) s0 += (double) a[off + i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** table [V, D], ids [...] -> [..., D]; ids outside [0, V) fail. */
    static Tensor embedding(Tensor table, Tensor ids, long[] outShape) {
        RowReader rows = new RowReader(table);
        int d = rows.cols();
        long v = table.dim(0);
        int n = (int) ids.numel();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            long id = ids.getLong(i);
            if (id < 0 || id >= v) throw new IllegalArgumentException("embedding: token id " + id + " at " + i + " outside vocabulary [0, " + v + ")");
            rows.row(id, out, i * d);
        }
        return Tensor.f32(out, outShape);
    }

    /** Numpy matmul (rank-1 operands promoted then squeezed; batch dims broadcast). */
    static Tensor matmul(Tensor a, Tensor b, DType outType, long[] outShape) {
        long[] sa = a.rank() == 1 ? new long[] {1, a.dim(0)} : a.shape();
        long[] sb = b.rank() == 1 ? new long[] {b.dim(0), 1} : b.shape();
        int m = (int) sa[sa.length - 2], k = (int) sa[sa.length - 1], n = (int) sb[sb.length - 1];
        long[] ba = Arrays.copyOf(sa, sa.length - 2), bb = Arrays.copyOf(sb, sb.length - 2);
        int br = Math.max(ba.length, bb.length);
        long[] batch = new long[br];
        for (int d = 0; d < br; d++) {
            int ia = d - (br - ba.length), ib = d - (br - bb.length);
            batch[d] = Math.max(ia >= 0 ? ba[ia] : 1, ib >= 0 ? bb[ib] : 1);
        }
        // batch strides counted in whole matrices
        Odometer o = new Odometer(batch, Odometer.broadcastStrides(ba, batch), Odometer.broadcastStrides(bb, batch));
        long nb = Tensor.numel(batch);
        Tensor out = Tensor.zeros(outType, outShape);
        boolean integer = !outType.isFloatingPoint();
        for (long bi = 0; bi < nb; bi++, o.next()) {
            long offA = o.off[0] * m * k, offB = o.off[1] * k * n, offO = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    if (integer) {
                        long acc = 0;
                        for (int p = 0; p < k; p++) acc += a.getLong(offA + (long) i * k + p) * b.getLong(offB + (long) p * n + j);
                        out.setLong(offO + (long) i * n + j, acc);
                    } else {
                        double acc = 0;
                        for (int p = 0; p < k; p++) acc += a.getDouble(offA + (long) i * k + p) * b.getDouble(offB + (long) p * n + j);
                        out.setDouble(offO + (long) i * n + j, acc);
                    }
                }
            }
        }
        return out;
    }
}
