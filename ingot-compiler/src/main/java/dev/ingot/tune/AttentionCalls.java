package dev.ingot.tune;

import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.attention.AttentionKernel;
import dev.ingot.kernel.attention.AttentionPlan;
import dev.ingot.kernel.attention.ParallelAttention;
import dev.ingot.kernel.attention.VectorAttention;
import dev.ingot.kernel.nativec.NativeAttention;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds what runs paged attention: the kernel of an {@link AttentionSchedule}, its call site, and the plan a
 * program's attention step runs (tuned schedules by context bucket, from the tuning database through
 * {@link TunedRows}; with no row, exactly the call programs always made: the native twin where it builds,
 * prefetching the next block, {@link ParallelAttention#UNITS_PER_THREAD} units per thread).
 */
public final class AttentionCalls {
    private AttentionCalls() {}

    /** {@code s}'s kernel, or empty when it is native and the native kernel does not build here. */
    public static Optional<AttentionKernel> exactKernel(AttentionSchedule s, NativeBackend backend) {
        AttentionKernel jvm = KernelProvider.get().attention();
        if (!s.nativeBackend()) return Optional.of(jvm);
        if (!(jvm instanceof VectorAttention)) return Optional.empty();
        return backend.attention(jvm, s.prefetch()).map(k -> k);
    }

    /** The call site of {@code s}; IllegalStateException when its native kernel is unavailable here. */
    public static ParallelAttention single(AttentionSchedule s, NativeBackend backend) {
        AttentionKernel k = exactKernel(s, backend).orElseThrow(() -> new IllegalStateException("no native attention for " + s.text() + " here"));
        return new ParallelAttention(k, s.unitsPerThread());
    }

    /** What programs run without a tuning row: the SIMD kernel's native twin where the backend builds one. */
    public static ParallelAttention untuned(NativeBackend backend) {
        AttentionKernel jvm = KernelProvider.get().attention();
        AttentionKernel k = jvm instanceof VectorAttention ? backend.attention(jvm).<AttentionKernel>map(a -> a).orElse(jvm) : jvm;
        return new ParallelAttention(k);
    }

    /**
     * The plan of one attention step over a {@code kvType} cache: heads / kvHeads / headDim / blockSize as the signature's dims, {@code bucketT}
     * the program's token bound and {@code maxContext} its longest possible context. Context buckets up to the one
     * holding maxContext are looked up; a bucket without a usable row runs the untuned call.
     */
    public static AttentionPlan plan(TunedRows rows, NativeBackend backend, DType kvType, int heads, int kvHeads, int headDim,
                                     int blockSize, int bucketT, int maxContext, int threads) {
        AttentionSpace space = AttentionSpace.here(threads, backend);
        List<Integer> bounds = new ArrayList<>();
        List<AttentionSchedule> tuned = new ArrayList<>(); // null: no usable row
        int last = AttentionSpace.contextBucket(Math.max(1, maxContext));
        for (int c : AttentionSpace.CONTEXTS) {
            if (c > last) break;
            KernelSignature sig = KernelSignature.attention(kvType, heads, kvHeads, headDim, blockSize, Math.max(1, bucketT), c);
            tuned.add(rows.tuned(sig, threads, AttentionSpace.version(), text -> {
                AttentionSchedule a = space.parse(text);
                return a.nativeBackend() && !space.nativeFor(sig) ? null : a;
            }).orElse(null));
            bounds.add(c);
        }
        boolean any = tuned.stream().anyMatch(java.util.Objects::nonNull);
        ParallelAttention untuned = untuned(backend);
        if (!any) return AttentionPlan.of(untuned);
        // merge neighbouring buckets with the same schedule; the last bound stands for all longer contexts
        List<Integer> upTo = new ArrayList<>();
        List<ParallelAttention> calls = new ArrayList<>();
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < bounds.size(); i++) {
            AttentionSchedule s = tuned.get(i);
            boolean sameAsNext = i + 1 < bounds.size() && java.util.Objects.equals(s, tuned.get(i + 1));
            if (sameAsNext) continue;
            upTo.add(bounds.get(i));
            calls.add(s == null ? untuned : single(s, backend));
            label.append(label.isEmpty() ? "" : "; ").append("C<=").append(bounds.get(i)).append(": ").append(s == null ? "default" : s.text());
        }
        return new AttentionPlan(upTo.stream().mapToInt(Integer::intValue).toArray(), calls.toArray(ParallelAttention[]::new), label.toString());
    }
}
