package dev.ingot.compiler.graphexec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.program.MemoryPlan;
import dev.ingot.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The liveness planner the executor uses: buffers alive at the same step never overlap, at odd sizes. */
class MemoryPlanTest {
    @Test
    void liveBuffersNeverOverlap() {
        long seed = Seeds.seed("memory-plan");
        Random r = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<MemoryPlan.Buffer> bufs = new ArrayList<>();
            int n = 2 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                int first = r.nextInt(20);
                bufs.add(new MemoryPlan.Buffer(i, "b" + i, 1 + r.nextInt(r.nextBoolean() ? 3 : 100), first, first + r.nextInt(6)));
            }
            int[] off = MemoryPlan.plan(bufs).offsets();
            for (MemoryPlan.Buffer a : bufs) {
                assertThat(off[a.id()] % 16).isZero();
                for (MemoryPlan.Buffer b : bufs) {
                    if (a.id() >= b.id() || a.lastStep() < b.firstStep() || b.lastStep() < a.firstStep()) continue;
                    boolean disjoint = off[a.id()] + a.floats() <= off[b.id()] || off[b.id()] + b.floats() <= off[a.id()];
                    assertThat(disjoint).as("seed %d round %d: %s @%d and %s @%d", seed, round, a, off[a.id()], b, off[b.id()]).isTrue();
                }
            }
        }
    }
}
