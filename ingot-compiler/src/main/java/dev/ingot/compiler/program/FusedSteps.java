package dev.ingot.compiler.program;

import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.elementwise.Elementwise;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Steps that run generated fused row kernels (see {@link GeneratedKernels}) or the elementwise baseline. */
final class FusedSteps {
    private FusedSteps() {}

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** out [rows, n] = rms_norm(x) * w. */
    record RmsNorm(String label, int x, MemorySegment w, int out, Dim rows, int n, float eps, MethodHandle k) implements Step {
        @Override public void run(Frame f) {
            try {
                k.invokeExact(f.arena, f.off(x), w, f.arena, f.off(out), (int) rows.eval(f.binding), n, eps);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override public String describe() { return "rms_norm[gen] " + label + " n=" + n; }
    }

    /** h = x + r (the residual stream, kept) and out = rms_norm(h) * w, in one pass over each row. */
    record AddRmsNorm(String label, int x, int r, MemorySegment w, int h, int out, Dim rows, int n, float eps, MethodHandle k)
            implements Step {
        @Override public void run(Frame f) {
            try {
                k.invokeExact(f.arena, f.off(x), f.arena, f.off(r), w, f.arena, f.off(h), f.arena, f.off(out),
                        (int) rows.eval(f.binding), n, eps);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override public String describe() { return "add_rms_norm[gen] " + label + " n=" + n; }
    }

    /** out = silu(gate) * up. */
    record SwiGlu(String label, int gate, int up, int out, Dim rows, int n, MethodHandle k) implements Step {
        @Override public void run(Frame f) {
            try {
                k.invokeExact(f.arena, f.off(gate), f.arena, f.off(up), f.arena, f.off(out), (int) rows.eval(f.binding), n);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override public String describe() { return "swiglu[gen] " + label + " n=" + n; }
    }

    /** out = a + b over {@code numel} elements (same shapes). */
    record Add(String label, int a, int b, int out, Dim numel, Elementwise ew) implements Step {
        @Override public void run(Frame f) {
            ew.add(f.arena, f.off(a), f.arena, f.off(b), f.arena, f.off(out), (int) numel.eval(f.binding));
        }

        @Override public String describe() { return "add " + label; }
    }
}
