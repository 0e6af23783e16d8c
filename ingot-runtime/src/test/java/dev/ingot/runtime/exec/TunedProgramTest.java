package dev.ingot.runtime.exec;

import static dev.ingot.model.arch.ForwardSignature.B;
import static dev.ingot.model.arch.ForwardSignature.L;
import static dev.ingot.model.arch.ForwardSignature.NB;
import static dev.ingot.model.arch.ForwardSignature.S;
import static dev.ingot.model.arch.ForwardSignature.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.compiler.program.ProgramCompiler;
import dev.ingot.ir.Graph;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.Architectures;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.testkit.SharedData;
import dev.ingot.tune.AttentionSpace;
import dev.ingot.tune.FusedSpace;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.TunedRows;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The program compiler consults the tuning database for attention and fused groups: with an empty database the
 * step listing of stories260K (T = 1 and 16) is the one compiled before those schedule spaces existed
 * ({@code stories260K-listing.txt}, kernel object ids masked), and tuned rows show in the listing.
 */
class TunedProgramTest {
    private static final WorkerPool POOL = new WorkerPool(2);
    private static final CpuId CPU = new CpuId("test cpu", "f00", 2);
    private static GgufFile file;
    private static Graph graph;

    @BeforeAll
    static void load() throws Exception {
        file = GgufFile.open(SharedData.model("stories260K.gguf"));
        graph = PassPipeline.standard().run(Architectures.build(file, 16).graph()).graph();
    }

    @AfterAll
    static void close() throws Exception {
        POOL.close();
        file.close();
    }

    private static String listing(TuningDb db) {
        StringBuilder sb = new StringBuilder();
        for (long t : new long[] {1, 16}) {
            sb.append(ProgramCompiler.compile(graph, Map.of(T, t, S, 4L, B, 32L, L, 1L, NB, 64L), POOL, GroupedLinear.Packing.POOL,
                    new TunedRows(db, CPU)).listing());
        }
        return sb.toString().replaceAll("@[0-9a-f]+]", "@*]");
    }

    @Test
    void anEmptyDatabaseCompilesTheStepsOfBefore() throws Exception {
        String expected;
        try (InputStream in = TunedProgramTest.class.getResourceAsStream("stories260K-listing.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // header lines print the bounds map, whose order varies between JVMs
        assertThat(listing(new TuningDb(null)).lines().filter(l -> !l.startsWith("program ")).toList())
                .containsExactlyElementsOf(expected.lines().filter(l -> !l.startsWith("program ")).toList());
    }

    @Test
    void tunedRowsReachTheSteps() {
        TuningDb db = new TuningDb(null);
        put(db, KernelSignature.fused("swiglu", 172, 16), "rows grain=4", FusedSpace.version());
        put(db, KernelSignature.attention(8, 4, 8, 16, 16, 256), "jvm units=0", AttentionSpace.version());
        String l = listing(db);
        assertThat(l).contains("swiglu[gen] ffn_gate_par.0 n=172 grain=4").contains("paged_attention kqv.0 heads=8/4 d=8 [C<=256: jvm units=0; C<=1024: default]");
        assertThat(l.split("grain=4", -1)).as("T = 1 has its own signatures: untouched").hasSize(1 + 5); // 5 layers at T = 16
    }

    private static void put(TuningDb db, KernelSignature sig, String schedule, String version) {
        db.put(new TunedEntry(CPU.key(), 2, version, sig.text(), TunedEntry.TUNED, schedule, schedule, schedule, 100, 50, 0.01, "now"));
    }
}
