package dev.ingot.kernel.parallel;

/** A body for {@link WorkerPool#parallelFor}: process indices {@code [from, to)}. Called concurrently. */
@FunctionalInterface
public interface RangeTask {
    void run(int from, int to);
}
