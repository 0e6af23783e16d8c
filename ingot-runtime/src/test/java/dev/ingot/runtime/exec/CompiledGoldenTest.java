package dev.ingot.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.program.FloatView;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.Architectures;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.ModelGraph;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.scheduler.FlatBatch;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled path (generated kernels + kernel library + paged KV cache, through {@link ModelRunner}) against
 * llama.cpp's golden logits for every model in shared/golden: the whole prompt in one batch with every
 * position's logits, then each generated token alone (teacher-forced with llama.cpp's greedy tokens). The KV
 * blocks of the sequence are deliberately not in order, so the block tables are really used.
 */
class CompiledGoldenTest {
    private static final WorkerPool POOL = new WorkerPool(2);

    @AfterAll
    static void close() { POOL.close(); }

    static List<Path> goldenFiles() { return GoldenLogits.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void compiledLogitsMatchLlamaCpp(Path goldenPath) throws Exception {
        check(goldenPath, DType.F32);
    }

    /**
     * The runtime's default F16 KV cache. The golden logits were made with an F32 cache, so K/V rounding (relative
     * 2^-11 per element) is allowed for: the tolerance of an F16-weight model, and the argmax rule as usual.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void f16KvCacheMatchesLlamaCpp(Path goldenPath) throws Exception {
        check(goldenPath, DType.F16);
    }

    /** Every Q8_0/Q4_0 linear on the native packed kernels (when a C compiler is here), whatever the selector would time. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void nativeKernelsMatchLlamaCpp(Path goldenPath) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.ingot.kernel.nativec.NativeBackend.get().available(), "no native backend");
        String before = System.getProperty("ingot.native");
        System.setProperty("ingot.native", "force");
        try {
            check(goldenPath, DType.F32);
        } finally {
            if (before == null) System.clearProperty("ingot.native");
            else System.setProperty("ingot.native", before);
        }
    }

    private static void check(Path goldenPath, DType kvType) throws Exception {
        GoldenLogits g = GoldenLogits.read(goldenPath);
        double tol = GoldenLogits.tolerance(g.modelFile());
        if (kvType == DType.F16) tol = Math.max(tol, GoldenLogits.tolerance("F16"));
        try (GgufFile f = GgufFile.open(SharedData.model(g.modelFile()))) {
            ModelGraph m = Architectures.build(f, 16, kvType);
            DecoderParams p = m.params();
            int total = g.promptIds().length + g.generatedIds().length;
            int nBlocks = (total + 15) / 16;
            try (KvStorage kv = KvStorage.ofBlocks(new KvLayout(p.nLayer(), p.nHeadKv(), p.headDim(), 16, kvType), nBlocks + 3);
                 ModelRunner runner = new ModelRunner(m, kv, POOL, 64, 4, 64)) {
                int[] table = new int[nBlocks];
                for (int i = 0; i < nBlocks; i++) table[i] = nBlocks + 2 - i; // reversed, skipping block 0..2
                int n = g.promptIds().length;
                FloatView logits = runner.forward(FlatBatch.singleSequence(g.promptIds(), 0, table, 16, true));
                assertThat(logits.rows()).isEqualTo(n);
                for (int i = 0; i < n; i++) g.check("position " + i, logits.row(i), g.positions().get(i), tol);
                for (int k = 1; k < g.steps().size(); k++) {
                    FloatView step = runner.forward(FlatBatch.singleSequence(new int[] {g.generatedIds()[k - 1]}, n + k - 1, table, 16, false));
                    g.check("generation step " + k, step.row(0), g.steps().get(k), tol);
                }
                assertThat(runner.stats().compiles()).as("tier 0 and at most one tier-1 program per bucket used").isLessThanOrEqualTo(3);
            }
        }
    }
}
