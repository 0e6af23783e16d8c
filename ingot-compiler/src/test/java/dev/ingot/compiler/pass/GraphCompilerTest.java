package dev.ingot.compiler.pass;

import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.compiler.loop.Printer;
import dev.ingot.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Graph -> passes -> groups -> cached kernels; the second launch compiles nothing; group IR is pinned. */
class GraphCompilerTest {
    @TempDir
    Path dir;

    @Test
    void secondLaunchCompilesNothing() {
        CompileCache first = new CompileCache(dir);
        GraphCompiler.Program p = new GraphCompiler(first).compile(FusionTest.block(207, Seeds.random("gc")), "generic");
        int groups = p.kernels().size();
        assertThat(groups).isEqualTo(p.plan().groups().size()).isPositive();
        assertThat(first.stats().compiles()).isEqualTo(groups);

        CompileCache second = new CompileCache(dir);
        new GraphCompiler(second).compile(FusionTest.block(207, Seeds.random("gc")), "generic");
        assertThat(second.stats()).isEqualTo(new CompileCache.Stats(0, 0, groups, 0));
    }

    /** The lowered add + RMSNorm group, pinned like the hand-built kernels ({@code -Dingot.golden.update=true}). */
    @Test
    void addRmsNormGroupIrIsGolden() throws Exception {
        FusionPlan plan = ElementwiseFusion.plan(PassPipeline.standard().run(FusionTest.block(4096, Seeds.random("golden"))).graph());
        StringBuilder text = new StringBuilder();
        for (KernelGroup g : plan.groups()) text.append(Printer.print(GroupLowering.lower(g).kernel()));
        Path file = Path.of("src/test/resources/golden/loop/graph_block_groups.txt");
        if (Boolean.getBoolean("ingot.golden.update")) Files.writeString(file, text);
        assertThat(text.toString()).isEqualTo(Files.readString(file));
    }
}
