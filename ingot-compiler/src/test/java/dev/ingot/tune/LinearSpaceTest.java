package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.tensor.DType;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The linear schedule space: text forms round-trip, decoding is canonical, invalid points are refused. */
class LinearSpaceTest {
    static final LinearSpace SPACE = new LinearSpace(2, true);
    static final LinearSpace AMX = new LinearSpace(2, true, true);

    @Test
    void amxIsTheDefaultBackendForQ8_0CallsOfAtLeastSixteenTokens() {
        KernelSignature prefill = KernelSignature.linear(DType.Q8_0, 2048, 2048, 128), decode = KernelSignature.linear(DType.Q8_0, 2048, 2048, 1);
        assertThat(AMX.defaults(prefill).getFirst().amx()).as("AMX tiles are the native default where the CPU has them").isTrue();
        assertThat(AMX.defaults(decode)).as("not below 16 tokens").noneMatch(LinearSchedule::amx);
        assertThat(AMX.defaults(KernelSignature.linear(DType.Q4_0, 2048, 2048, 128))).as("Q8_0 only").noneMatch(LinearSchedule::amx);
        assertThat(SPACE.defaults(prefill)).as("no AMX here").noneMatch(LinearSchedule::amx);
        LinearSchedule d = LinearSchedule.nativeTile(1, 8, 4, 0, true);
        assertThat(d.text()).endsWith(" amx");
        assertThat(AMX.parse(d.text())).isEqualTo(d);
        assertThat(AMX.decode(KernelSignature.linear(DType.Q4_0, 2048, 2048, 128), AMX.encode(d))).as("Q8_0 only").isNull();
        int[] g = AMX.encode(d);
        assertThat(AMX.decode(decode, g).amx()).as("canonical: AMX fixed off below 16 tokens").isFalse();
        assertThat(SPACE.decode(prefill, g)).as("no AMX here: not a point of the space").isNull();
        assertThatThrownBy(() -> SPACE.parse(d.text())).isInstanceOf(IllegalArgumentException.class);
        assertThat(SPACE.parse(d.withoutAmx().text())).as("a tuned AMX row runs its tile on VNNI where AMX is off")
                .isEqualTo(LinearSchedule.nativeTile(1, 8, 4, 0));
        assertThat(SPACE.features(prefill, d)[SPACE.featureNames().indexOf("amx")]).isEqualTo(1);
    }

    @Test
    void everyPointRoundTripsThroughTextAndGenes() {
        for (KernelSignature sig : new KernelSignature[] {KernelSignature.linear(DType.Q8_0, 2048, 2048, 128),
                KernelSignature.linear(DType.Q4_0, 37, 64, 1), KernelSignature.linear(DType.F16, 512, 64, 5)}) {
            Set<String> seen = new HashSet<>();
            int[] g = new int[SPACE.genes().size()];
            int points = 1;
            for (Gene gene : SPACE.genes()) points *= gene.size();
            for (int p = 0; p < points; p++) {
                int rest = p;
                for (int i = 0; i < g.length; i++) { g[i] = rest % SPACE.genes().get(i).size(); rest /= SPACE.genes().get(i).size(); }
                LinearSchedule s = SPACE.decode(sig, g);
                if (s == null) continue;
                assertThat(SPACE.parse(s.text())).isEqualTo(s);
                assertThat(SPACE.decode(sig, SPACE.encode(s))).as("canonical " + s).isEqualTo(s);
                double[] f = SPACE.features(sig, s);
                assertThat(f).hasSize(SPACE.featureNames().size());
                assertThat(java.util.Arrays.stream(f).allMatch(Double::isFinite)).as("finite features of " + s).isTrue();
                seen.add(s.text());
            }
            assertThat(seen).as(sig + ": native only for Q8_0/Q4_0").anyMatch(t -> t.startsWith("native") == (sig.dtype() != DType.F16));
            for (LinearSchedule d : SPACE.defaults(sig)) assertThat(seen).contains(d.text());
        }
    }

    @Test
    void canonicalFormMergesSchedulesThatRunTheSameCode() {
        KernelSignature decode = KernelSignature.linear(DType.Q8_0, 2048, 2048, 1);
        // a token block or a token tile wider than T never runs
        assertThat(SPACE.decode(decode, SPACE.encode(LinearSchedule.jvm(32, 16)))).isEqualTo(LinearSchedule.jvm(32, 0));
        // decode runs the decode tile only; prefill with T = 3 runs tails only when the tile is wider
        assertThat(SPACE.decode(decode, SPACE.encode(LinearSchedule.nativeTile(3, 4, 2, 0)))).isEqualTo(LinearSchedule.nativeTile(1, 8, 2, 0));
        KernelSignature three = KernelSignature.linear(DType.Q8_0, 2048, 2048, 3);
        assertThat(SPACE.decode(three, SPACE.encode(LinearSchedule.nativeTile(2, 4, 8, 0)))).isEqualTo(LinearSchedule.nativeTile(1, 8, 4, 0));
        assertThat(SPACE.decode(three, SPACE.encode(LinearSchedule.nativeTile(2, 2, 8, 0)))).isEqualTo(LinearSchedule.nativeTile(2, 2, 4, 0));
        // grains of N rows or more are one chunk
        KernelSignature small = KernelSignature.linear(DType.Q8_0, 37, 64, 8);
        assertThat(SPACE.decode(small, SPACE.encode(LinearSchedule.jvm(256, 0)))).isEqualTo(LinearSchedule.jvm(64, 0));
        assertThat(SPACE.decode(small, SPACE.encode(LinearSchedule.nativeTile(1, 8, 4, 32)))).isEqualTo(LinearSchedule.nativeTile(1, 8, 4, 4));
        assertThat(SPACE.defaults(decode).getFirst().text()).isEqualTo("native tile=1x8 dtile=4 grain=auto");
        assertThat(new LinearSpace(2, false).defaults(decode)).containsExactly(LinearSchedule.jvm(0, 0));
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> SPACE.parse("native tile=3x8 dtile=4 grain=auto")).hasMessageContaining("invalid native tile");
        assertThatThrownBy(() -> SPACE.parse("native tile=1x8 dtile=5 grain=auto")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SPACE.parse("jvm grain=7 tb=all")).hasMessageContaining("outside the space");
        assertThatThrownBy(() -> SPACE.parse("gpu 4x4")).hasMessageContaining("not a linear schedule");
        assertThat(KernelSignature.parse("linear:Q4_K:128x256:T16")).isEqualTo(KernelSignature.linear(DType.Q4_K, 128, 256, 16));
    }
}
