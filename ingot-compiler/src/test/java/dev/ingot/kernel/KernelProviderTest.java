package dev.ingot.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.kernel.linear.ScalarLinear;
import dev.ingot.tensor.DType;
import org.junit.jupiter.api.Test;

class KernelProviderTest {
    @Test
    void forcedScalarSaysWhy() {
        KernelProvider p = KernelProvider.detect("scalar");
        assertThat(p.simd()).isFalse();
        assertThat(p.fallbackReason()).contains("-Dingot.kernels=scalar");
        assertThat(p.linear(DType.Q8_0)).isInstanceOf(ScalarLinear.class);
    }

    @Test
    void autoUsesSimdWhenTheModuleIsLoaded() {
        KernelProvider p = KernelProvider.detect("auto");
        System.out.println("[KernelProvider] " + p.describe());
        // The test JVM runs with --add-modules jdk.incubator.vector; every x86-64 CI host has >= AVX2.
        assertThat(p.simd()).as(p.describe()).isTrue();
        assertThat(p.linear(DType.Q4_K).dtype()).isEqualTo(DType.Q4_K);
    }

    @Test
    void rejectsUnknownModeAndDtype() {
        assertThatThrownBy(() -> KernelProvider.detect("fast")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelProvider.detect("auto").linear(DType.Q2_K)).isInstanceOf(IllegalArgumentException.class);
    }
}
