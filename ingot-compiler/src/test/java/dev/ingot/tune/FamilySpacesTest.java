package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attention and fused-group spaces and the extended signatures: every point round-trips through text and
 * genes and decodes canonically, defaults are today's kernels, and the linear signature text is unchanged.
 */
class FamilySpacesTest {
    static final AttentionSpace ATTENTION = new AttentionSpace(2, true), JVM_ONLY = new AttentionSpace(2, false);
    static final FusedSpace FUSED = new FusedSpace(2);

    /** Every decodable point of {@code space} for {@code sig} (all gene index vectors). */
    static <S extends Schedule> List<S> points(ScheduleSpace<S> space, KernelSignature sig) {
        List<S> out = new ArrayList<>();
        int points = 1;
        for (Gene gene : space.genes()) points *= gene.size();
        int[] g = new int[space.genes().size()];
        for (int p = 0; p < points; p++) {
            int rest = p;
            for (int i = 0; i < g.length; i++) { g[i] = rest % space.genes().get(i).size(); rest /= space.genes().get(i).size(); }
            S s = space.decode(sig, g);
            if (s != null && !out.contains(s)) out.add(s);
        }
        return out;
    }

    static <S extends Schedule> void roundTrips(ScheduleSpace<S> space, KernelSignature sig, List<S> points) {
        for (S s : points) {
            assertThat(space.parse(s.text())).as(sig + " " + s).isEqualTo(s);
            assertThat(space.decode(sig, space.encode(s))).as("canonical " + s).isEqualTo(s);
            double[] f = space.features(sig, s);
            assertThat(f).hasSize(space.featureNames().size());
            assertThat(java.util.Arrays.stream(f).allMatch(Double::isFinite)).as("finite features of " + s).isTrue();
        }
        for (S d : space.defaults(sig)) assertThat(points).as("default " + d + " is a point").contains(d);
    }

    @Test
    void signaturesRoundTripAndLinearTextIsUnchanged() {
        assertThat(KernelSignature.linear(DType.Q8_0, 2048, 2048, 128).text()).isEqualTo("linear:Q8_0:2048x2048:T128");
        assertThat(KernelSignature.parse("linear:Q8_0:2048x2048:T128")).isEqualTo(KernelSignature.linear(DType.Q8_0, 2048, 2048, 128));
        KernelSignature a = KernelSignature.attention(32, 8, 64, 16, 1, 1024), f = KernelSignature.fused("add_rms_norm", 2048, 128);
        assertThat(a.text()).isEqualTo("attention:F32:32x8x64x16:T1:C1024");
        assertThat(f.text()).isEqualTo("fused/add_rms_norm:F32:2048:T128");
        for (KernelSignature s : List.of(a, f)) assertThat(KernelSignature.parse(s.text())).isEqualTo(s);
        for (String bad : List.of("attention:F32:32x8:T1:C", "fused/Add:F32:8:T1", "linear:Q8_0:0x4:T1", "linear:Q8_0:4x4:T1:C0x"))
            assertThatThrownBy(() -> KernelSignature.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        assertThat(AttentionSpace.contextBucket(1)).isEqualTo(256);
        assertThat(AttentionSpace.contextBucket(257)).isEqualTo(1024);
        assertThat(AttentionSpace.contextBucket(1 << 20)).as("the last bucket takes longer contexts").isEqualTo(65536);
    }

    @Test
    void attentionPointsRoundTripAndAreCanonical() {
        KernelSignature decode = KernelSignature.attention(12, 12, 64, 16, 1, 1024), prefill = KernelSignature.attention(32, 8, 64, 16, 128, 256);
        KernelSignature odd = KernelSignature.attention(6, 2, 20, 5, 3, 256); // headDim 20: the C kernel does not take it
        for (KernelSignature sig : List.of(decode, prefill, odd)) roundTrips(ATTENTION, sig, points(ATTENTION, sig));
        assertThat(ATTENTION.defaults(decode)).containsExactly(AttentionSchedule.nativeKernel(4, 1), AttentionSchedule.jvm(4));
        assertThat(JVM_ONLY.defaults(decode)).containsExactly(AttentionSchedule.jvm(4));
        assertThat(points(ATTENTION, odd)).as("no native points for a shape the C kernel refuses").noneMatch(AttentionSchedule::nativeBackend);
        // 128 tokens give every units value >= 1 the same cut (one unit per token): they decode to one schedule
        assertThat(points(ATTENTION, prefill).stream().filter(s -> !s.nativeBackend()).map(AttentionSchedule::unitsPerThread))
                .containsExactlyInAnyOrder(0, 1);
        assertThat(points(ATTENTION, decode).stream().filter(s -> !s.nativeBackend()).count()).as("12 KV heads: distinct cuts").isGreaterThan(3);
        assertThat(AttentionSchedule.parse("jvm units=0")).isEqualTo(AttentionSchedule.jvm(0));
        for (String bad : List.of("jvm units=4 prefetch=1", "native units=4", "native units=3 prefetch=1", "native units=4 prefetch=3"))
            assertThatThrownBy(() -> ATTENTION.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fusedPointsRoundTripAndAGrainOfAllRowsIsSerial() {
        KernelSignature prefill = KernelSignature.fused("rms_norm", 768, 128), decode = KernelSignature.fused("swiglu", 2048, 1);
        roundTrips(FUSED, prefill, points(FUSED, prefill));
        assertThat(points(FUSED, prefill)).hasSize(8);
        assertThat(points(FUSED, decode)).as("one row: nothing to split").containsExactly(FusedSchedule.SERIAL);
        assertThat(points(FUSED, KernelSignature.fused("add", 64, 8))).containsExactly(FusedSchedule.SERIAL, new FusedSchedule(1),
                new FusedSchedule(2), new FusedSchedule(4));
        assertThat(FUSED.defaults(prefill)).as("786 KB moved: two claims per thread, serial the runner-up")
                .containsExactly(new FusedSchedule(32), FusedSchedule.SERIAL);
        assertThat(FUSED.defaults(KernelSignature.fused("add_rms_norm", 768, 16))).as("196 KB: serial").containsExactly(FusedSchedule.SERIAL);
        assertThat(FusedSpace.heuristic(KernelSignature.fused("swiglu", 2048, 24), 2)).as("grain rounded down to a gene value")
                .isEqualTo(new FusedSchedule(4));
        assertThat(FusedSchedule.SERIAL.text()).isEqualTo("rows serial");
        for (String bad : List.of("rows grain=0", "rows grain=3", "rows", "jvm units=4"))
            assertThatThrownBy(() -> FUSED.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
}
