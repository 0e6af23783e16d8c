package dev.ingot.compiler.program;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.elementwise.Elementwise;
import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The call site of a fused row kernel: [rows, n] activations in the arena, processed whole on the calling thread
 * ({@code grain} 0, what programs always did) or split over the worker pool in claims of {@code grain} rows (a
 * row is never cut: rms_norm reduces over it, so every split computes each row exactly as the serial call).
 * Used by the program's fused steps and by the tuner's measurer, so both time the same code. Offsets are float
 * indices into the arena: {@code in0}, {@code in1} (-1 if unused), {@code out0}, {@code out1} (-1 if unused):
 * <ul>
 *   <li>rms_norm: x, -, out, -  (out = rms_norm(x) * w)</li>
 *   <li>add_rms_norm: x, r, h, out  (h = x + r; out = rms_norm(h) * w)</li>
 *   <li>swiglu: gate, up, out, -  (out = silu(gate) * up)</li>
 *   <li>add: a, b, out, -  (out = a + b)</li>
 * </ul>
 * Allocation-free per call; one instance per call site, one caller at a time.
 */
public final class FusedCall implements RangeTask {
    /** The fused ops, named as in kernel signatures ({@code fused/rms_norm:...}). */
    public enum Op {
        RMS_NORM("rms_norm"), ADD_RMS_NORM("add_rms_norm"), SWIGLU("swiglu"), ADD("add");

        public final String id;

        Op(String id) { this.id = id; }

        public static Op of(String id) {
            for (Op o : values()) if (o.id.equals(id)) return o;
            throw new IllegalArgumentException("no fused op " + id);
        }
    }

    private final Op op;
    private final int grain;
    private final MethodHandle k;   // generated kernel; null for ADD
    private final Elementwise ew;   // ADD's kernel
    private float[] arena;
    private MemorySegment w;
    private int in0, in1, out0, out1, n;
    private float eps;

    public FusedCall(Op op, int grain) {
        if (grain < 0) throw new IllegalArgumentException("grain " + grain);
        this.op = op;
        this.grain = grain;
        this.k = switch (op) {
            case RMS_NORM -> GeneratedKernels.rmsNorm();
            case ADD_RMS_NORM -> GeneratedKernels.addRmsNorm();
            case SWIGLU -> GeneratedKernels.swiglu();
            case ADD -> null;
        };
        this.ew = KernelProvider.get().elementwise();
    }

    public Op op() { return op; }

    public int grain() { return grain; }

    /** Runs the op over {@code rows} rows of width {@code n}; {@code w} is the norm weight (null for swiglu, add). */
    public void run(WorkerPool pool, float[] arena, int in0, int in1, int out0, int out1, MemorySegment w, int rows, int n, float eps) {
        this.arena = arena; this.in0 = in0; this.in1 = in1; this.out0 = out0; this.out1 = out1; this.w = w; this.n = n; this.eps = eps;
        try {
            if (grain == 0) run(0, rows);
            else pool.parallelFor(rows, grain, this); // runs inline when rows <= grain
        } finally {
            this.arena = null;
            this.w = null;
        }
    }

    /** Rows [from, to). */
    @Override
    public void run(int from, int to) {
        int r = to - from, o = from * n;
        try {
            switch (op) {
                case RMS_NORM -> k.invokeExact(arena, in0 + o, w, arena, out0 + o, r, n, eps);
                case ADD_RMS_NORM -> k.invokeExact(arena, in0 + o, arena, in1 + o, w, arena, out0 + o, arena, out1 + o, r, n, eps);
                case SWIGLU -> k.invokeExact(arena, in0 + o, arena, in1 + o, arena, out0 + o, r, n);
                case ADD -> ew.add(arena, in0 + o, arena, in1 + o, arena, out0 + o, r * n);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override public String toString() { return op.id + (grain == 0 ? "" : " grain=" + grain); }
}
