package dev.ingot.compiler.cache;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.compiler.loop.Kernel;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Memory + disk cache of generated classes. Thread-safe; two threads asking for the same missing key
 * may both compile (the results are identical; the last rename wins). A disk problem never fails a
 * compile: the entry is logged and the bytes are used from memory.
 */
public final class CompileCache {
    private static final System.Logger LOG = System.getLogger(CompileCache.class.getName());

    private final Path dir;
    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    private final Map<String, CompiledKernel> kernels = new ConcurrentHashMap<>();
    private final AtomicLong compiles = new AtomicLong(), memoryHits = new AtomicLong(),
            diskHits = new AtomicLong(), rejected = new AtomicLong();

    /** Counters for {@code --stats}: rejected counts corrupt or stale disk entries that were rebuilt. */
    public record Stats(long compiles, long memoryHits, long diskHits, long rejected) {}

    /** A cache backed by {@code dir}, or memory only when {@code dir} is null. */
    public CompileCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $INGOT_CACHE}, else {@code ~/.cache/ingot/compile}. */
    public static Path defaultDir() {
        String env = System.getenv("INGOT_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "ingot", "compile");
    }

    public Stats stats() {
        return new Stats(compiles.get(), memoryHits.get(), diskHits.get(), rejected.get());
    }

    /** The loaded kernel for {@code k} in {@code shapeBucket}: from memory, from disk, or generated. */
    public CompiledKernel kernel(Kernel k, String shapeBucket) {
        CacheKey key = CacheKey.of(k, shapeBucket);
        CompiledKernel loaded = kernels.get(key.digest());
        if (loaded != null) {
            memoryHits.incrementAndGet();
            return loaded;
        }
        long before = compiles.get();
        byte[] b = classBytes(key, () -> JvmCodegen.generate(k));
        if (compiles.get() == before && dev.ingot.codegen.jvm.Debug.level() >= 3) {
            // generate() prints the IR of what it compiles; say so for what came from the cache too
            System.err.println("[ingot] loop IR (from compile cache " + key.digest().substring(0, 12) + ")\n" + k);
        }
        return kernels.computeIfAbsent(key.digest(), d -> JvmCodegen.load(k, b));
    }

    /** Class bytes for {@code key}: memory, then a validated disk entry, else {@code compile} (then stored). */
    public byte[] classBytes(CacheKey key, Supplier<byte[]> compile) {
        String digest = key.digest();
        byte[] b = bytes.get(digest);
        if (b != null) {
            memoryHits.incrementAndGet();
            return b;
        }
        b = readDisk(key, digest);
        if (b != null) {
            diskHits.incrementAndGet();
        } else {
            b = compile.get();
            compiles.incrementAndGet();
            writeDisk(key, digest, b);
        }
        bytes.put(digest, b);
        return b;
    }

    /** Where the entry for {@code key} lives (null for a memory-only cache). */
    public Path entryPath(CacheKey key) {
        return dir == null ? null : dir.resolve(key.digest() + ".ingotc");
    }

    private byte[] readDisk(CacheKey key, String digest) {
        Path p = entryPath(key);
        if (p == null || !Files.isRegularFile(p)) return null;
        try {
            return EntryFile.decode(key, Files.readAllBytes(p));
        } catch (EntryFile.Rejected e) {
            rejected.incrementAndGet();
            LOG.log(Level.WARNING, "compile cache: rejecting " + p + ": " + e.getMessage() + "; rebuilding");
            try {
                Files.deleteIfExists(p);
            } catch (IOException io) {
                LOG.log(Level.WARNING, "compile cache: cannot delete " + p + ": " + io);
            }
            return null;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "compile cache: cannot read " + p + ": " + e + "; rebuilding");
            return null;
        }
    }

    private void writeDisk(CacheKey key, String digest, byte[] classBytes) {
        Path p = entryPath(key);
        if (p == null) return;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, digest, ".tmp");
            Files.write(tmp, EntryFile.encode(key, classBytes));
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "compile cache: cannot write " + p + ": " + e + " (kept in memory)");
        }
    }
}
