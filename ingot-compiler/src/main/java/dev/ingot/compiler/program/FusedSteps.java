package dev.ingot.compiler.program;

import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;

/**
 * Steps that run fused row kernels (generated, see {@link GeneratedKernels}, or the elementwise baseline for
 * add) through a {@link FusedCall}: serial, or rows split over the pool where the tuning database says so.
 */
final class FusedSteps {
    private FusedSteps() {}

    /** " grain=G" when the call splits rows over the pool (a tuned schedule), else nothing: listings show tuning. */
    private static String split(FusedCall c) { return c.grain() == 0 ? "" : " grain=" + c.grain(); }

    /** out [rows, n] = rms_norm(x) * w. */
    record RmsNorm(String label, int x, MemorySegment w, int out, Dim rows, int n, float eps, FusedCall call, WorkerPool pool)
            implements Step {
        @Override public void run(Frame f) {
            call.run(pool, f.arena, f.off(x), -1, f.off(out), -1, w, (int) rows.eval(f.binding), n, eps);
        }

        @Override public String describe() { return "rms_norm[gen] " + label + " n=" + n + split(call); }
    }

    /** h = x + r (the residual stream, kept) and out = rms_norm(h) * w, in one pass over each row. */
    record AddRmsNorm(String label, int x, int r, MemorySegment w, int h, int out, Dim rows, int n, float eps, FusedCall call,
                      WorkerPool pool) implements Step {
        @Override public void run(Frame f) {
            call.run(pool, f.arena, f.off(x), f.off(r), f.off(h), f.off(out), w, (int) rows.eval(f.binding), n, eps);
        }

        @Override public String describe() { return "add_rms_norm[gen] " + label + " n=" + n + split(call); }
    }

    /** out = silu(gate) * up. */
    record SwiGlu(String label, int gate, int up, int out, Dim rows, int n, FusedCall call, WorkerPool pool) implements Step {
        @Override public void run(Frame f) {
            call.run(pool, f.arena, f.off(gate), f.off(up), f.off(out), -1, null, (int) rows.eval(f.binding), n, 0f);
        }

        @Override public String describe() { return "swiglu[gen] " + label + " n=" + n + split(call); }
    }

    /** out = a + b over [rows, n] (same shapes). */
    record Add(String label, int a, int b, int out, Dim rows, int n, FusedCall call, WorkerPool pool) implements Step {
        @Override public void run(Frame f) {
            call.run(pool, f.arena, f.off(a), f.off(b), f.off(out), -1, null, (int) rows.eval(f.binding), n, 0f);
        }

        @Override public String describe() { return "add " + label + split(call); }
    }
}
