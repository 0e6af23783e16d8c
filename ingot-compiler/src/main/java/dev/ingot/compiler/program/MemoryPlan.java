package dev.ingot.compiler.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Offsets of a program's intermediate buffers in one float arena, by liveness: a buffer lives from the step that
 * writes it first to the step that reads it last; two buffers share memory only when their lifetimes are
 * disjoint. Placement is greedy best-fit in decreasing size order (the usual heuristic of TVM's and XLA's planners).
 */
public final class MemoryPlan {
    /** One buffer to place: {@code id} indexes {@link #offsets()}; alive from step {@code firstStep} to {@code lastStep}. */
    public record Buffer(int id, String label, long floats, int firstStep, int lastStep) {}

    private final int[] offsets;
    private final long peak;
    private final long total;
    private final List<Buffer> buffers;

    private MemoryPlan(List<Buffer> buffers, int[] offsets, long peak, long total) {
        this.buffers = buffers;
        this.offsets = offsets;
        this.peak = peak;
        this.total = total;
    }

    public static MemoryPlan plan(List<Buffer> buffers) {
        int[] offsets = new int[buffers.size()];
        List<Buffer> bySize = new ArrayList<>(buffers);
        bySize.sort(Comparator.comparingLong(Buffer::floats).reversed().thenComparingInt(Buffer::id));
        List<Buffer> placed = new ArrayList<>();
        long peak = 0, total = 0;
        for (Buffer b : bySize) {
            total += b.floats();
            // Intervals taken by buffers alive at the same time, sorted by offset; take the first gap that fits.
            List<long[]> busy = new ArrayList<>();
            for (Buffer p : placed) {
                if (p.firstStep() <= b.lastStep() && b.firstStep() <= p.lastStep()) {
                    busy.add(new long[] {offsets[p.id()], offsets[p.id()] + p.floats()});
                }
            }
            busy.sort(Comparator.comparingLong(a -> a[0]));
            // Keep every buffer 16-float aligned (64 bytes): vector loads stay on cache lines. The candidate is
            // aligned before each gap test, so rounding up can never move it into a busy interval.
            long at = 0;
            for (long[] iv : busy) {
                if (iv[0] - at >= b.floats()) break;
                at = Math.max(at, (iv[1] + 15) & ~15L);
            }
            if (at + b.floats() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("activation arena exceeds 2^31 floats; use a smaller batch bucket");
            }
            offsets[b.id()] = (int) at;
            peak = Math.max(peak, at + b.floats());
            placed.add(b);
        }
        return new MemoryPlan(buffers, offsets, peak, total);
    }

    public int[] offsets() { return Arrays.copyOf(offsets, offsets.length); }

    /** Arena size in floats. */
    public long peakFloats() { return peak; }

    /** Sum of all buffer sizes: what the arena would need without reuse. */
    public long totalFloats() { return total; }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("memory plan: %d buffers, arena %.2f MiB (%.2f MiB without reuse)%n",
                buffers.size(), peak * 4 / 1048576.0, total * 4 / 1048576.0));
        for (Buffer b : buffers) {
            sb.append(String.format("  %-24s @%-10d %10d floats  steps %d..%d%n", b.label(), offsets[b.id()], b.floats(),
                    b.firstStep(), b.lastStep()));
        }
        return sb.toString();
    }
}
