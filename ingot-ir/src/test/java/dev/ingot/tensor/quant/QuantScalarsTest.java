package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scalar helpers (rounding, bf16) and the dispatch classes' contracts. */
class QuantScalarsTest {

    @Property
    void nearestIntIsRoundHalfEven(@ForAll @FloatRange(min = -4194303f, max = 4194303f) float x) {
        assertThat(Bits.nearestInt(x)).isEqualTo((int) Math.rint(x));
    }

    @Test
    void nearestIntTies() {
        assertThat(Bits.nearestInt(0.5f)).isEqualTo(0);
        assertThat(Bits.nearestInt(1.5f)).isEqualTo(2);
        assertThat(Bits.nearestInt(-2.5f)).isEqualTo(-2);
        assertThat(Bits.nearestInt(-0.49999997f)).isEqualTo(0);
    }

    @Test
    void roundfIsHalfAwayFromZero() {
        assertThat(Bits.roundf(0.5f)).isEqualTo(1f);
        assertThat(Bits.roundf(-0.5f)).isEqualTo(-1f);
        assertThat(Bits.roundf(2.5f)).isEqualTo(3f);
        assertThat(Bits.roundf(0.49999997f)).isEqualTo(0f); // (x + 0.5f) in float would give 1
        assertThat(Bits.roundf(-126.5f)).isEqualTo(-127f);
    }

    @Test
    void bf16LikeGgml() {
        assertThat(FloatCodecs.toBf16(1.0f)).isEqualTo(0x3f80);
        assertThat(FloatCodecs.toBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo(0x3f80); // tie, even stays
        assertThat(FloatCodecs.toBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo(0x3f82); // tie, odd rounds up
        assertThat(FloatCodecs.toBf16(Float.intBitsToFloat(0x3f808001))).isEqualTo(0x3f81);
        assertThat(FloatCodecs.toBf16(Float.MAX_VALUE)).isEqualTo(0x7f80); // overflows to +inf
        assertThat(FloatCodecs.toBf16(Float.NEGATIVE_INFINITY)).isEqualTo(0xff80);
        assertThat(FloatCodecs.toBf16(Float.intBitsToFloat(0x7f800001))).isEqualTo(0x7fc0); // sNaN quieted
        assertThat(FloatCodecs.toBf16(Float.intBitsToFloat(0xffc12345))).isEqualTo(0xffc1);
    }

    @Test
    void segmentApiMatchesArrayApiAtAnOffset() {
        float[] x = new float[96];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.7) * (i + 1);
        for (DType t : new DType[] {DType.Q8_0, DType.Q4_1, DType.Q5_1, DType.F16, DType.F32}) {
            byte[] want = Quantize.all(t, x);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = arena.allocate(want.length + 13);
                Quantize.row(t, x, 0, x.length, seg, 13);
                assertThat(seg.asSlice(13).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).as("%s", t).isEqualTo(want);
                float[] a = new float[x.length + 3], b = new float[x.length];
                Dequant.row(t, seg, 13, a, 3, x.length);
                Dequant.row(t, want, 0, b, 0, x.length);
                assertThat(java.util.Arrays.copyOfRange(a, 3, a.length)).as("%s", t).isEqualTo(b);
            }
        }
    }

    @Test
    void rejectsPartialBlocksAndUnsupportedTypes() {
        assertThatThrownBy(() -> Quantize.all(DType.Q4_K, new float[300]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size 256");
        assertThatThrownBy(() -> Dequant.row(DType.I32, new byte[4], 0, new float[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I32");
        assertThat(Dequant.supports(DType.Q6_K)).isTrue();
        assertThat(Quantize.supports(DType.I8)).isFalse();
    }
}
