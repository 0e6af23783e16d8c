package dev.ingot.kernel.nativec;

import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.compiler.cache.CompilerVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system C compiler and the on-disk cache of shared libraries it builds. An entry is
 * {@code <cacheDir>/native/<sha256>.so}, the hash over (source, flags, the compiler's {@code -march=native}
 * predefined macros, which name its version and every CPU feature it targets, and {@link CompilerVersion#ID});
 * it is written to a temporary name and renamed, so a half-written library is never loaded.
 */
public final class NativeToolchain {
    /** {@code -z defs}: an undefined symbol fails the build (then the JVM kernel runs) instead of killing the JVM at its first call. */
    static final List<String> FLAGS = List.of("-O3", "-march=native", "-fPIC", "-shared", "-fno-math-errno", "-Wl,-z,defs");

    private final String cc;
    private final Path dir;
    private final String features;
    private final List<String> flags;

    private NativeToolchain(String cc, Path dir, String features, List<String> flags) {
        this.cc = cc;
        this.dir = dir;
        this.features = features;
        this.flags = flags;
    }

    /** The same compiler with extra flags appended (tests build the portable twin with {@code -mno-avx512vnni}). */
    NativeToolchain withFlags(String... extra) {
        var f = new java.util.ArrayList<>(flags);
        f.addAll(List.of(extra));
        return new NativeToolchain(cc, dir, features, List.copyOf(f));
    }

    /** The first of {@code $CC}, {@code cc}, {@code gcc} on PATH that compiles for this CPU; throws with the reason if none does. */
    public static NativeToolchain find(Path cacheDir) throws IOException {
        String env = System.getenv("CC");
        StringBuilder why = new StringBuilder();
        for (String c : env != null && !env.isBlank() ? List.of(env, "cc", "gcc") : List.of("cc", "gcc")) {
            if (!onPath(c)) { why.append(c).append(": not on PATH; "); continue; }
            Result r = exec(List.of(c, "-march=native", "-dM", "-E", "-x", "c", "/dev/null"), cacheDir);
            if (r.rc == 0) return new NativeToolchain(c, cacheDir.resolve("native"), r.out, FLAGS);
            why.append(c).append(": exit ").append(r.rc).append("; ");
        }
        throw new IOException("no usable C compiler (" + why + "set CC or install gcc)");
    }

    /** True when the compiler targets AVX512-VNNI here (the fast path); else the portable C twin is built. */
    public boolean vnni() { return features.contains("__AVX512VNNI__") && features.contains("__AVX512BW__"); }

    /** True when the compiler targets AVX-512F here (the native attention kernel needs it). */
    public boolean avx512() { return features.contains("__AVX512F__"); }

    public String describe() { return cc + (vnni() ? " (AVX512-VNNI)" : " (portable C)"); }

    /** The library for {@code src}: from the cache, or compiled now. Throws with the compiler's message on failure. */
    public Path library(NativeSource src) throws IOException { return library(src.symbol(), src.text()); }

    /** The library built from C source {@code text} ({@code name} names its temporary files and errors). */
    public Path library(String name, String text) throws IOException {
        Path lib = dir.resolve(sha256(text + "\n" + flags + "\n" + features + "\n" + CompilerVersion.ID) + ".so");
        if (Files.isRegularFile(lib)) return lib;
        Files.createDirectories(dir);
        Path c = Files.createTempFile(dir, name, ".c");
        Path tmp = Files.createTempFile(dir, name, ".so.tmp");
        try {
            Files.writeString(c, text);
            var cmd = new java.util.ArrayList<>(List.of(cc));
            cmd.addAll(flags);
            cmd.addAll(List.of("-o", tmp.toString(), c.toString(), "-lm")); // libm after the source: --as-needed
            Result r = exec(cmd, dir);
            if (r.rc != 0) throw new IOException(cc + " failed (exit " + r.rc + ") on " + name + ": " + r.out);
            try {
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            return lib;
        } finally {
            Files.deleteIfExists(c);
            Files.deleteIfExists(tmp);
        }
    }

    public static Path defaultCacheDir() { return CompileCache.defaultDir(); }

    private record Result(int rc, String out) {}

    private static Result exec(List<String> cmd, Path cwd) throws IOException {
        Files.createDirectories(cwd);
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); return new Result(-1, "timed out"); }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.getFirst(), e);
        }
    }

    private static boolean onPath(String exe) {
        if (exe.contains("/")) return Files.isExecutable(Path.of(exe));
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return true;
        }
        return false;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
