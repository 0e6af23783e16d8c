package dev.ingot.kernel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class MemoryBandwidthTest {
    @Test
    void sumIsExactIncludingTail() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(8 * 1000 + 8, 64);
            long want = 0;
            for (int i = 0; i < 1001; i++) { s.setAtIndex(ValueLayout.JAVA_LONG, i, i * 3L); want += i * 3L; }
            assertThat(MemoryBandwidth.sum(s, 0, s.byteSize())).isEqualTo(want);
        }
    }

    @Test
    void smallProbeReportsPlausibleBandwidth() {
        MemoryBandwidth.Result r = MemoryBandwidth.measure(2, 64L << 20, 1);
        System.out.printf("[MemoryBandwidth] 64 MiB, 2 threads: %.1f GB/s%n", r.gbPerSecond());
        assertThat(r.gbPerSecond()).isBetween(0.05, 2000.0);
    }
}
