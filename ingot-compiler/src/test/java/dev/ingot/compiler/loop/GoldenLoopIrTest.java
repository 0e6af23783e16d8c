package dev.ingot.compiler.loop;

import dev.ingot.compiler.loop.fused.FusedKernels;
import dev.ingot.compiler.loop.fused.Rope;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The printed loop IR of the canonical kernels, pinned in {@code src/test/resources/golden/loop}. A change
 * in a builder, a rewrite or the printer shows up in the diff. Regenerate deliberately with
 * {@code -Dingot.golden.update=true} and review the diff.
 */
class GoldenLoopIrTest {
    static final Path DIR = Path.of("src/test/resources/golden/loop");

    static Map<String, Kernel> canonical() {
        Map<String, Kernel> m = new LinkedHashMap<>();
        m.put("rms_norm", FusedKernels.rmsNorm());
        m.put("rms_norm_4096", Rewrites.bind(FusedKernels.rmsNorm(), Map.of("n", 4096)));
        m.put("add_rms_norm", FusedKernels.addRmsNorm());
        m.put("swiglu", FusedKernels.swiglu());
        m.put("softmax", FusedKernels.softmax());
        m.put("bias_add", FusedKernels.biasAdd());
        m.put("gelu_tanh", FusedKernels.geluTanh());
        m.put("gelu_erf", FusedKernels.geluErf());
        m.put("rope_neox", Rope.computed(Rope.Style.NEOX));
        m.put("rope_neox_128", Rewrites.bind(Rope.computed(Rope.Style.NEOX), Map.of("D", 128, "H", 32)));
        m.put("rope_norm", Rope.computed(Rope.Style.NORM));
        m.put("rope_neox_table", Rope.table(Rope.Style.NEOX));
        m.put("rope_norm_table", Rope.table(Rope.Style.NORM));
        m.put("linear_swiglu_q8_0", FusedKernels.linearSwiglu(dev.ingot.tensor.DType.Q8_0));
        return m;
    }

    @TestFactory
    Stream<DynamicTest> printedIrMatchesGolden() {
        boolean update = Boolean.getBoolean("ingot.golden.update");
        return canonical().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Path file = DIR.resolve(e.getKey() + ".txt");
            String text = Printer.print(e.getValue());
            assertThat(Verifier.check(e.getValue())).isEmpty();
            if (update) {
                Files.writeString(file, text);
                return;
            }
            if (!Files.exists(file)) throw new IOException("golden file missing: " + file.toAbsolutePath() + " (run with -Dingot.golden.update=true)");
            assertThat(text).isEqualTo(Files.readString(file));
        }));
    }
}
