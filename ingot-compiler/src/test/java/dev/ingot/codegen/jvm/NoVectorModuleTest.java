package dev.ingot.codegen.jvm;

import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.compiler.loop.fused.FusedKernels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scalar fallback: in a JVM started without {@code --add-modules jdk.incubator.vector}, kernels still
 * generate (scalar only), load and compute. Runs {@link #main} in a child JVM on this test's class path.
 */
class NoVectorModuleTest {
    /** Child JVM: compile SwiGLU through a memory cache and print one output element. */
    public static void main(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) throw new IllegalStateException("module present");
        CompiledKernel k = new CompileCache(null).kernel(FusedKernels.swiglu(), "generic");
        float[] a = {2f, 3f, 0f};
        k.invoke(a, 0, a, 1, a, 2, 1, 1);            // out = silu(2) * 3
        System.out.println("lanes=" + JvmCodegen.preferredLanes() + " out=" + a[2]);
    }

    @Test
    void scalarKernelsRunWithoutTheVectorModule() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), NoVectorModuleTest.class.getName()))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        float expected = (float) (2 / (1 + Math.exp(-2)) * 3);
        assertThat(out).contains("lanes=0 out=" + expected);
    }
}
