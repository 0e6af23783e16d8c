package dev.ingot.compiler.graphexec;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import jdk.incubator.vector.FloatVector;

/**
 * An F32 add/sub/mul/div/max/min whose operands broadcast in a way the fused row kernels do not take (e.g.
 * {@code [B, S, D] + [1, S, D]}, the position embeddings): the output [rows, n] is walked row by row, each operand
 * read at its broadcast offset for the row (stride 0 where it broadcasts) and, when its last axis is not
 * broadcast, as contiguous vectors along it.
 */
record BroadcastStep(String label, BinaryKind kind, Ref a, long[] aRow, boolean aCol, Ref b, long[] bRow, boolean bCol,
                     Ref out, int n, boolean simd) implements Step {

    /** Offset of each output row's first element in an operand of broadcast strides {@code st} (row-major rows). */
    static long[] rowOffsets(long[] outShape, long[] st) {
        int r = outShape.length;
        long rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= outShape[d];
        long[] offs = new long[(int) rows];
        long[] idx = new long[Math.max(0, r - 1)];
        for (int p = 0; p < rows; p++) {
            long o = 0;
            for (int d = 0; d < r - 1; d++) o += idx[d] * st[d];
            offs[p] = o;
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < outShape[d]) break;
                idx[d] = 0;
            }
        }
        return offs;
    }

    @Override public void run(Frame f) {
        float[] x = f.arena;
        int ao = a.off(), bo = b.off(), oo = out.off();
        int nv = simd && aCol && bCol ? n - n % L : 0;
        for (int r = 0; r < aRow.length; r++) {
            int pa = ao + (int) aRow[r], pb = bo + (int) bRow[r], po = oo + r * n;
            int i = 0;
            for (; i < nv; i += L) {
                FloatVector va = FloatVector.fromArray(F, x, pa + i), vb = FloatVector.fromArray(F, x, pb + i);
                FloatVector v = switch (kind) {
                    case ADD -> va.add(vb);
                    case SUB -> va.sub(vb);
                    case MUL -> va.mul(vb);
                    case DIV -> va.div(vb);
                    case MAX -> va.max(vb);
                    default -> va.min(vb);
                };
                v.intoArray(x, po + i);
            }
            for (; i < n; i++) {
                float p = x[pa + (aCol ? i : 0)], q = x[pb + (bCol ? i : 0)];
                x[po + i] = switch (kind) {
                    case ADD -> p + q;
                    case SUB -> p - q;
                    case MUL -> p * q;
                    case DIV -> p / q;
                    case MAX -> Float.isNaN(p) || Float.isNaN(q) ? Float.NaN : Math.max(p, q);
                    default -> Float.isNaN(p) || Float.isNaN(q) ? Float.NaN : Math.min(p, q);
                };
            }
        }
    }

    @Override public String describe() { return "broadcast-" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + label + " rows " + aRow.length + " x " + n; }
}
