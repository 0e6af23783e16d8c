package dev.ingot.compiler.program;

import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import java.lang.foreign.MemorySegment;

/** Matrix steps: quantised linear layers, embedding lookups, row gathers. */
final class LinalgSteps {
    private LinalgSteps() {}

    /**
     * One linear, or several reading the same x [rows, K] as one call: y_i [rows, N_i] = x · W_iᵀ (+ bias_i);
     * rows split across the pool, W in its storage type (or packed, for a native kernel).
     */
    record LinearGroup(String label, int x, int[] ys, int[] ns, int k, DType wType, Dim rows, GroupedLinear call,
                       WorkerPool pool, int[] yOff) implements Step {
        LinearGroup(String label, int x, int[] ys, int[] ns, int k, DType wType, Dim rows, GroupedLinear call, WorkerPool pool) {
            this(label, x, ys, ns, k, wType, rows, call, pool, new int[ys.length]);
        }

        @Override public void run(Frame f) {
            for (int i = 0; i < ys.length; i++) yOff[i] = f.off(ys[i]);
            call.run(pool, f.arena, f.off(x), k, f.arena, yOff, ns, (int) rows.eval(f.binding));
        }

        @Override public String describe() {
            return (ns.length > 1 ? "linear_group " : "linear ") + label + " " + wType + java.util.Arrays.toString(ns) + " x " + k
                    + " [" + call.kernel() + (call.packed() ? ", packed" : "") + (call.amx() ? ", amx" : "") + "]";
        }
    }

    /** out [T, D] = table[ids[t]], dequantised from the table's storage type. */
    record Embedding(String label, int ids, int out, MemorySegment table, DType type, int vocab, int dim, Dim tokens) implements Step {
        @Override public void run(Frame f) {
            int t = (int) tokens.eval(f.binding);
            int[] id = f.ints[ids];
            long rowBytes = type.rowBytes(dim);
            int o = f.off(out);
            for (int i = 0; i < t; i++) {
                int tok = id[i];
                if (tok < 0 || tok >= vocab) throw new IllegalArgumentException("token id " + tok + " outside the vocabulary [0, " + vocab + ")");
                Dequant.row(type, table, tok * rowBytes, f.arena, o + i * dim, dim);
            }
        }

        @Override public String describe() { return "embedding " + label + " " + type + "[" + vocab + ", " + dim + "]"; }
    }

    /** out [L, D] = x[rows[l]] for an int index input; indices are checked against x's row count. */
    record GatherRows(String label, int x, int rows, int out, int dim, Dim xRows, Dim outRows) implements Step {
        @Override public void run(Frame f) {
            int n = (int) outRows.eval(f.binding), limit = (int) xRows.eval(f.binding);
            int[] idx = f.ints[rows];
            int xo = f.off(x), oo = f.off(out);
            for (int l = 0; l < n; l++) {
                int r = idx[l];
                if (r < 0 || r >= limit) throw new IllegalArgumentException(label + ": row " + r + " outside [0, " + limit + ")");
                System.arraycopy(f.arena, xo + r * dim, f.arena, oo + l * dim, dim);
            }
        }

        @Override public String describe() { return "gather_rows " + label + " dim=" + dim; }
    }
}
