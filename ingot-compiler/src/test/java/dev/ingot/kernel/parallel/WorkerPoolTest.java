package dev.ingot.kernel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Coverage (every index exactly once), exceptions, nesting, reuse after parking, and dispatch overhead. */
class WorkerPoolTest {
    @Test
    void coversEveryIndexOnce() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int n : new int[] {1, 7, 64, 1000, 4099}) {
                for (int grain : new int[] {1, 3, 64}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    pool.parallelFor(n, grain, (a, b) -> {
                        assertThat(b - a).isLessThanOrEqualTo(grain);
                        assertThat(a % grain).as("chunks start on multiples of the grain").isZero();
                        for (int i = a; i < b; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertThat(hits.get(i)).as("n=%d grain=%d i=%d", n, grain, i).isEqualTo(1);
                }
            }
        }
    }

    /** Thread i's segment: contiguous, in order, on multiples of the grain, as even as the grain allows. */
    @Test
    void segmentsAreEvenAndGrainAligned() {
        assertThat(WorkerPool.segmentStart(1, 2, 128, 1)).isEqualTo(64);
        assertThat(WorkerPool.segmentStart(1, 2, 128, 32)).isEqualTo(64);
        assertThat(WorkerPool.segmentStart(1, 2, 128, 42)).isEqualTo(84); // the multiple of 42 nearest 64
        assertThat(WorkerPool.segmentStart(1, 3, 10, 4)).isEqualTo(4);
        assertThat(WorkerPool.segmentStart(2, 3, 10, 4)).isEqualTo(8);
        assertThat(WorkerPool.segmentStart(1, 2, 1, 1)).isEqualTo(1); // the caller takes a single index, the second segment is empty
        for (int segs = 1; segs <= 4; segs++) {
            for (int n : new int[] {0, 1, 5, 128, 1000}) {
                for (int grain : new int[] {1, 3, 64}) {
                    int prev = 0;
                    assertThat(WorkerPool.segmentStart(0, segs, n, grain)).isZero();
                    assertThat(WorkerPool.segmentStart(segs, segs, n, grain)).isEqualTo(n);
                    for (int s = 1; s <= segs; s++) {
                        int at = WorkerPool.segmentStart(s, segs, n, grain);
                        assertThat(at).isBetween(prev, n);
                        if (s < segs) assertThat(at % grain).isZero();
                        prev = at;
                    }
                }
            }
        }
    }

    @Test
    void rethrowsAndStaysUsable() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(100, 1, (a, b) -> { if (a == 57) throw new IllegalStateException("boom"); }))
                    .isInstanceOf(IllegalStateException.class).hasMessage("boom");
            Thread.sleep(5); // let the worker park, then wake it
            AtomicInteger sum = new AtomicInteger();
            pool.parallelFor(100, 10, (a, b) -> {
                pool.parallelFor(4, 1, (c, d) -> sum.addAndGet(d - c)); // nested: runs inline
                sum.addAndGet(b - a);
            });
            assertThat(sum.get()).isEqualTo(100 + 10 * 4);
        }
    }

    /** Prints the per-call overhead of an empty parallelFor (for the report); asserts only a loose bound. */
    @Test
    void dispatchOverhead() {
        try (WorkerPool pool = new WorkerPool(2)) {
            RangeTask empty = (a, b) -> {};
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 10; round++) { // best of 10 short rounds: robust to a busy host
                long t0 = System.nanoTime();
                for (int i = 0; i < 1_000; i++) pool.parallelFor(64, 8, empty);
                best = Math.min(best, (System.nanoTime() - t0) / 1_000.0);
            }
            System.out.printf("[WorkerPool] 2 threads, empty parallelFor(64, 8): %.2f us per call%n", best / 1e3);
            assertThat(best).isLessThan(1_000_000); // 1 ms: catches a pool that parks between back-to-back calls
        }
    }
}
