package dev.ingot.kernel.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HugePagesTest {
    @Test
    void regionsAreZeroedWritableAndHugeAlignedOnLinux() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        assertThat(HugePages.enabled()).isEqualTo(linux);
        try (Arena arena = Arena.ofConfined()) {
            for (boolean populate : new boolean[] {false, true}) {
                long bytes = 3 * HugePages.HUGE_PAGE + 12_345; // not a whole number of pages
                MemorySegment m = HugePages.allocate(arena, bytes, populate);
                assertThat(m.byteSize()).isEqualTo(bytes);
                if (HugePages.enabled()) assertThat(m.address() % HugePages.HUGE_PAGE).isZero();
                else assertThat(m.address() % 64).isZero();
                for (long off = 0; off < bytes; off += 4093) assertThat(m.get(ValueLayout.JAVA_BYTE, off)).isZero();
                m.set(ValueLayout.JAVA_BYTE, bytes - 1, (byte) 7);
                m.set(ValueLayout.JAVA_LONG, 0, -1L);
                assertThat(m.get(ValueLayout.JAVA_BYTE, bytes - 1)).isEqualTo((byte) 7);
                assertThat(m.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(-1L);
            }
        }
    }

    @Test
    void closedArenaUnmapsTheRegion() {
        Arena arena = Arena.ofConfined();
        MemorySegment m = HugePages.allocate(arena, HugePages.HUGE_PAGE);
        arena.close();
        assertThatThrownBy(() -> m.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void slabSlicesAreAlignedDisjointAndZeroed() {
        Slab slab = new Slab(HugePages.HUGE_PAGE);
        List<MemorySegment> got = new ArrayList<>();
        long[] sizes = {100, 64, 4096, 1, 300_000, 700_000, 3 * HugePages.HUGE_PAGE, 5000, 900_000};
        long[] aligns = {64, 64, 4096, 1, 256, 64, 64, 4096, 64};
        for (int i = 0; i < sizes.length; i++) {
            MemorySegment s = slab.allocate(sizes[i], aligns[i]);
            assertThat(s.byteSize()).isEqualTo(sizes[i]);
            assertThat(s.address() % aligns[i]).as("slice %d", i).isZero();
            assertThat(s.get(ValueLayout.JAVA_BYTE, sizes[i] - 1)).isZero();
            s.fill((byte) (i + 1));
            got.add(s);
        }
        // every slice still holds its own fill: none overlapped another
        for (int i = 0; i < got.size(); i++) {
            MemorySegment s = got.get(i);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) (i + 1));
            assertThat(s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1)).isEqualTo((byte) (i + 1));
        }
        assertThatThrownBy(() -> slab.allocate(0, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> slab.allocate(64, 48)).isInstanceOf(IllegalArgumentException.class);
    }
}
