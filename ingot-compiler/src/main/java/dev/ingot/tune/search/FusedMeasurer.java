package dev.ingot.tune.search;

import dev.ingot.compiler.program.FusedCall;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tune.FusedSchedule;
import dev.ingot.tune.KernelSignature;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times a {@link FusedSchedule} as a program's fused step runs it: one {@link FusedCall} of the signature's op over
 * T rows of width n in an arena laid out like a program's ([T, n] per operand, inputs seeded uniform [-1, 1), a
 * norm weight around 1). Timing: {@link PairedTiming}. Not thread-safe; close to free the weights.
 */
public final class FusedMeasurer extends PairedTiming<FusedSchedule> {
    private final WorkerPool pool;
    private final Arena arena = Arena.ofShared();
    private final Map<KernelSignature, float[]> arenas = new HashMap<>();
    private final Map<KernelSignature, MemorySegment> weights = new HashMap<>();

    public FusedMeasurer(WorkerPool pool) { this.pool = pool; }

    @Override
    Runnable prepare(KernelSignature sig, FusedSchedule s) {
        FusedCall call = new FusedCall(FusedCall.Op.of(sig.op()), s.grain());
        int T = sig.tokens(), n = sig.n(), m = T * n;
        SplittableRandom r = new SplittableRandom(0xf05edL ^ sig.text().hashCode());
        float[] a = arenas.computeIfAbsent(sig, k -> { // operands at 0, m, 2m, 3m: in0, in1, out0, out1
            float[] x = new float[4 * m];
            for (int i = 0; i < 2 * m; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
            return x;
        });
        MemorySegment w = weights.computeIfAbsent(sig, k -> {
            MemorySegment seg = arena.allocate(4L * n, 64);
            for (int i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (0.5 + r.nextDouble()));
            return seg;
        });
        boolean norm = call.op() == FusedCall.Op.RMS_NORM || call.op() == FusedCall.Op.ADD_RMS_NORM;
        return warm(() -> call.run(pool, a, 0, m, 2 * m, 3 * m, norm ? w : null, T, n, 1e-5f));
    }

    @Override
    public void close() { arena.close(); }
}
