package dev.ingot.runtime.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.testkit.Seeds;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvStorageTest {
    // 2 layers, 3 kv heads, headDim 5 (odd sizes), block 4
    private final KvLayout layout = new KvLayout(2, 3, 5, 4);

    @Test
    void sizesFromMemoryBudget() {
        long perBlock = 2L * 2 * 4 * 3 * 5 * 4;
        assertThat(layout.bytesPerBlock()).isEqualTo(perBlock);
        try (KvStorage kv = KvStorage.ofBytes(layout, perBlock * 7 + perBlock / 2)) {
            assertThat(kv.numBlocks()).isEqualTo(7);
            assertThat(kv.bytes()).isEqualTo(perBlock * 7);
            assertThat(kv.keys(1).byteSize()).isEqualTo(7L * 4 * 3 * 5 * 4);
        }
        assertThatThrownBy(() -> KvStorage.ofBytes(layout, perBlock - 1)).hasMessageContaining("holds no block");
    }

    @Test
    void slotRowsFollowTheDocumentedLayout() {
        try (KvStorage kv = KvStorage.ofBlocks(layout, 3)) {
            int slot = kv.slot(2, 1);
            assertThat(slot).isEqualTo(9);
            float[] k = new float[15], v = new float[15];
            for (int i = 0; i < 15; i++) {
                k[i] = i;
                v[i] = -i;
            }
            kv.write(1, slot, k, v);
            // head 2, dim 3 of slot 9 sits at float ((9 * 3) + 2) * 5 + 3
            long idx = (9L * 3 + 2) * 5 + 3;
            assertThat(kv.keys(1).getAtIndex(ValueLayout.JAVA_FLOAT, idx)).isEqualTo(13f);
            assertThat(kv.values(1).getAtIndex(ValueLayout.JAVA_FLOAT, idx)).isEqualTo(-13f);
            assertThat(kv.keys(0).getAtIndex(ValueLayout.JAVA_FLOAT, idx)).isZero();
            assertThat(kv.byteOffset(slot, 2)).isEqualTo((9L * 3 + 2) * 5 * 4);
        }
    }

    @Test
    void copyBlockCopiesEveryLayerKAndVAndNothingElse() {
        Random r = Seeds.random("KvStorageTest.copyBlock");
        try (KvStorage kv = KvStorage.ofBlocks(layout, 3)) {
            for (int l = 0; l < 2; l++) {
                for (int s = 0; s < 12; s++) kv.write(l, s, Seeds.floats(r, 15, 1f), Seeds.floats(r, 15, 1f));
            }
            float[] untouched = kv.readKey(0, kv.slot(0, 2));
            kv.copyBlock(1, 2);
            for (int l = 0; l < 2; l++) {
                for (int off = 0; off < 4; off++) {
                    assertThat(kv.readKey(l, kv.slot(2, off))).containsExactly(kv.readKey(l, kv.slot(1, off)));
                    assertThat(kv.readValue(l, kv.slot(2, off))).containsExactly(kv.readValue(l, kv.slot(1, off)));
                }
            }
            assertThat(kv.readKey(0, kv.slot(0, 2))).containsExactly(untouched);
        }
    }

    @Test
    void f16LayoutHalvesTheBytesAndRoundsOnWrite() {
        KvLayout half = new KvLayout(2, 3, 5, 4, dev.ingot.tensor.DType.F16);
        assertThat(half.bytesPerBlock()).isEqualTo(layout.bytesPerBlock() / 2);
        assertThat(half.blocksFor(layout.bytesPerBlock() * 3)).isEqualTo(6); // twice the blocks in the same memory
        Random r = Seeds.random("KvStorageTest.f16");
        try (KvStorage kv = KvStorage.ofBlocks(half, 3)) {
            assertThat(kv.keys(0).byteSize()).isEqualTo(3L * 4 * 3 * 5 * 2);
            float[] k = Seeds.floats(r, 15, 3f), v = Seeds.floats(r, 15, 3f);
            kv.write(1, 9, k, v);
            float[] rk = kv.readKey(1, 9), rv = kv.readValue(1, 9);
            for (int i = 0; i < 15; i++) {
                assertThat(rk[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(k[i])));
                assertThat(rv[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(v[i])));
            }
            // element (slot 9, head 2, dim 3) is the half at element index ((9 * 3) + 2) * 5 + 3
            long idx = (9L * 3 + 2) * 5 + 3;
            assertThat(kv.keys(1).getAtIndex(ValueLayout.JAVA_SHORT, idx)).isEqualTo(Float.floatToFloat16(k[13]));
            assertThat(kv.byteOffset(9, 2)).isEqualTo((9L * 3 + 2) * 5 * 2);
            kv.copyBlock(2, 0);
            assertThat(kv.readKey(1, kv.slot(0, 1))).containsExactly(rk);
        }
        assertThatThrownBy(() -> new KvLayout(2, 3, 5, 4, dev.ingot.tensor.DType.BF16)).hasMessageContaining("f32 or f16");
    }
}
