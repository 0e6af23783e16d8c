package dev.ingot.compiler.cache;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Rewrites;
import dev.ingot.compiler.loop.fused.FusedKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Hits across "launches" (fresh cache objects on one directory), misses on key change, corrupt entries rebuilt. */
class CompileCacheTest {
    @TempDir
    Path dir;

    static final Kernel SWIGLU = FusedKernels.swiglu();

    /** A compile that counts how often it runs. */
    static final class CountingCompile {
        final AtomicInteger calls = new AtomicInteger();

        byte[] compile(Kernel k) {
            calls.incrementAndGet();
            return JvmCodegen.generate(k);
        }
    }

    private static void assertSwigluWorks(CompiledKernel k) {
        float[] a = {1, -2, 3, 0.5f, -1, 2, 0, 0, 0};
        k.invoke(a, 0, a, 3, a, 6, 1, 3);
        for (int i = 0; i < 3; i++) {
            float g = a[i], u = a[3 + i];
            assertThat(a[6 + i]).isCloseTo((float) (g / (1 + Math.exp(-g)) * u), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void secondLaunchLoadsFromDiskWithoutCompiling() {
        CompileCache first = new CompileCache(dir);
        assertSwigluWorks(first.kernel(SWIGLU, "generic"));
        assertThat(first.stats()).isEqualTo(new CompileCache.Stats(1, 0, 0, 0));
        first.kernel(SWIGLU, "generic");
        assertThat(first.stats().memoryHits()).isEqualTo(1);

        CompileCache second = new CompileCache(dir);
        CountingCompile cc = new CountingCompile();
        CacheKey key = CacheKey.of(SWIGLU, "generic");
        byte[] b = second.classBytes(key, () -> cc.compile(SWIGLU));
        assertThat(cc.calls.get()).isZero();
        assertThat(second.stats()).isEqualTo(new CompileCache.Stats(0, 0, 1, 0));
        assertSwigluWorks(JvmCodegen.load(SWIGLU, b));
    }

    @Test
    void keyChangesMiss() {
        CompileCache c = new CompileCache(dir);
        c.kernel(SWIGLU, "generic");
        c.kernel(SWIGLU, "T<=32");                                        // other bucket
        c.kernel(Rewrites.bind(SWIGLU, Map.of("n", 64)), "generic");       // other kernel
        CacheKey k = CacheKey.of(SWIGLU, "generic");
        CacheKey otherCpu = new CacheKey(k.kernelHash(), k.shapeBucket(),
                new CacheKey.Target("S_256_BIT", 8, "amd64", 64, 25), k.compiler());
        CacheKey otherCompiler = new CacheKey(k.kernelHash(), k.shapeBucket(), k.target(), "ingot-codegen-0");
        assertThat(otherCpu.digest()).isNotEqualTo(k.digest());
        assertThat(otherCompiler.digest()).isNotEqualTo(k.digest());
        c.classBytes(otherCpu, () -> JvmCodegen.generate(SWIGLU));
        assertThat(c.stats().compiles()).isEqualTo(4);
        assertThat(c.stats().memoryHits() + c.stats().diskHits()).isZero();
    }

    private Path populated() {
        new CompileCache(dir).kernel(SWIGLU, "generic");
        return new CompileCache(dir).entryPath(CacheKey.of(SWIGLU, "generic"));
    }

    private void assertRebuilt(Path entry) throws IOException {
        CompileCache c = new CompileCache(dir);
        CountingCompile cc = new CountingCompile();
        byte[] b = c.classBytes(CacheKey.of(SWIGLU, "generic"), () -> cc.compile(SWIGLU));
        assertThat(cc.calls.get()).isEqualTo(1);
        assertThat(c.stats().rejected()).isEqualTo(1);
        assertSwigluWorks(JvmCodegen.load(SWIGLU, b));
        // the rebuilt entry is good again: a third launch hits
        CompileCache third = new CompileCache(dir);
        third.kernel(SWIGLU, "generic");
        assertThat(third.stats()).isEqualTo(new CompileCache.Stats(0, 0, 1, 0));
        assertThat(Files.size(entry)).isPositive();
    }

    @Test
    void truncatedEntryIsRebuilt() throws IOException {
        Path p = populated();
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, all.length / 2));
        assertRebuilt(p);
    }

    @Test
    void flippedByteIsRebuilt() throws IOException {
        Path p = populated();
        byte[] all = Files.readAllBytes(p);
        all[all.length - 100] ^= 0x5A;
        Files.write(p, all);
        assertRebuilt(p);
    }

    @Test
    void entryWithGoodChecksumButBadClassIsRebuilt() throws IOException {
        Path p = populated();
        CacheKey key = CacheKey.of(SWIGLU, "generic");
        byte[] cls = JvmCodegen.generate(SWIGLU);
        // break the bytecode, not the framing: a wrong constant-pool index in the middle of the class
        cls[cls.length / 2] = (byte) 0xFF;
        cls[cls.length / 2 + 1] = (byte) 0xFF;
        Files.write(p, EntryFile.encode(key, cls));
        assertRebuilt(p);
    }

    @Test
    void staleCompilerVersionIsRebuilt() throws IOException {
        Path p = populated();
        CacheKey key = CacheKey.of(SWIGLU, "generic");
        CacheKey old = new CacheKey(key.kernelHash(), key.shapeBucket(), key.target(), "ingot-codegen-0");
        Files.write(p, EntryFile.encode(old, JvmCodegen.generate(SWIGLU)));
        assertRebuilt(p);
    }

    @Test
    void memoryOnlyCacheWorks() {
        CompileCache c = new CompileCache(null);
        c.kernel(SWIGLU, "generic");
        c.kernel(SWIGLU, "generic");
        assertThat(c.stats()).isEqualTo(new CompileCache.Stats(1, 1, 0, 0));
    }
}
