package dev.ingot.tune.search;

import dev.ingot.kernel.nativec.CacheFlush;
import dev.ingot.kernel.nativec.KernelSelector;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.LinearCalls;
import dev.ingot.tune.LinearSchedule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Times a {@link LinearSchedule} as the compiled program runs it: the whole [N, K] matrix for T tokens through
 * a one-part {@link GroupedLinear} (the call site of every linear step) on the worker pool, warmed up and timed
 * by {@link PairedTiming} (pairs: alternating single calls). Weights: the model's own (from {@code weights}) or seeded random ones;
 * activations: seeded uniform [-1, 1). Calls of at most {@link #COLD_TOKENS} tokens are memory-bound: before each
 * timed call their weights are flushed from the caches ({@link CacheFlush}, where the native backend builds), so they
 * stream from DRAM as in a whole model, where in cache a coarser split won 4-9% that cost ~2% in the 1B's decode.
 * Not thread-safe; close to free the random weights.
 */
public final class LinearMeasurer extends PairedTiming<LinearSchedule> {
    private final WorkerPool pool;
    private final NativeBackend backend;
    private final Function<KernelSignature, MemorySegment> weights;
    private final Arena arena = Arena.ofShared();
    private final Map<KernelSignature, MemorySegment> randomWeights = new HashMap<>();
    private final Map<KernelSignature, float[][]> buffers = new HashMap<>();
    /** Calls of at most this many tokens are timed on cold (flushed) weights. */
    static final int COLD_TOKENS = 4;

    /** @param weights the real weights of a signature, or null (or a null result) for seeded random ones */
    public LinearMeasurer(WorkerPool pool, NativeBackend backend, Function<KernelSignature, MemorySegment> weights) {
        this.pool = pool;
        this.backend = backend;
        this.weights = weights;
    }

    @Override
    Runnable prepare(KernelSignature sig, LinearSchedule s) { return call(sig, s).run(); }

    /**
     * The call for {@code s} on this signature's weights and buffers, warmed up; for a memory-bound shape (at most
     * {@link #COLD_TOKENS} tokens) with a flush of the weights it reads before each run.
     */
    @Override
    Call call(KernelSignature sig, LinearSchedule s) {
        MemorySegment w = weightsOf(sig);
        GroupedLinear call = LinearCalls.single(s, sig.dtype(), w, sig.n(), sig.k(), pool, backend);
        float[][] xy = buffers.computeIfAbsent(sig, k -> {
            SplittableRandom r = new SplittableRandom(0x7e57L ^ k.text().hashCode());
            float[] x = new float[k.tokens() * k.k()];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
            return new float[][] {x, new float[k.tokens() * k.n()]};
        });
        int N = sig.n(), K = sig.k(), T = sig.tokens();
        int[] yOff = {0}, yStride = {N};
        Runnable run = warm(() -> call.run(pool, xy[0], 0, K, xy[1], yOff, yStride, T));
        Runnable flush = sig.tokens() > COLD_TOKENS ? null : backend.cacheFlush().<Runnable>map(f -> {
            java.util.List<MemorySegment> segs = call.weightsRead(); // after the warm-up: AMX scale tables exist
            return () -> { for (MemorySegment m : segs) f.flush(m); };
        }).orElse(null);
        return new Call(run, flush);
    }

    private MemorySegment weightsOf(KernelSignature sig) {
        MemorySegment w = weights == null ? null : weights.apply(sig);
        if (w != null) return w;
        return randomWeights.computeIfAbsent(sig, k -> random(arena, k.dtype(), k.n(), k.k(), 42));
    }

    /** Seeded random weights with finite scales; float dtypes get values in [-0.05, 0.05). */
    static MemorySegment random(Arena arena, DType t, int N, int K, long seed) {
        return switch (t) {
            case F32, F16, BF16 -> {
                MemorySegment w = arena.allocate(t.rowBytes(K) * N, 64);
                SplittableRandom r = new SplittableRandom(seed);
                long n = (long) N * K;
                for (long i = 0; i < n; i++) {
                    float v = (float) (r.nextDouble() * 0.1 - 0.05);
                    switch (t) {
                        case F32 -> w.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                        case F16 -> w.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                        default -> w.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (Float.floatToRawIntBits(v) >>> 16));
                    }
                }
                yield w;
            }
            default -> KernelSelector.randomWeights(arena, t, N, K);
        };
    }

    @Override
    public void close() { arena.close(); }
}
