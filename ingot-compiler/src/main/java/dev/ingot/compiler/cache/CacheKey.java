package dev.ingot.compiler.cache;

import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Printer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a compiled artefact depends on. Two keys with equal {@link #text()} may share class bytes.
 *
 * @param kernelHash  SHA-256 (hex) of the kernel's printed loop IR, or of a graph's printed form
 * @param shapeBucket the shape bucket it was specialised for ({@code "generic"} when none)
 * @param target      the CPU/JVM features the bytes assume
 * @param compiler    {@link CompilerVersion#ID}
 */
public record CacheKey(String kernelHash, String shapeBucket, Target target, String compiler) {

    /** CPU and JVM features baked into generated code. */
    public record Target(String vectorShape, int floatLanes, String osArch, int processors, int javaFeature) {
        public static Target current() {
            return new Target(dev.ingot.codegen.jvm.VectorSupport.shape(), JvmCodegen.preferredLanes(),
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.version().feature());
        }

        String text() {
            return vectorShape + "/" + floatLanes + "f/" + osArch + "/" + processors + "cpu/java" + javaFeature;
        }
    }

    /**
     * The key of {@code k}, by its loop IR with the kernel and its parameters renamed by position: structurally
     * equal kernels (an encoder repeats each fused group once per layer, over different values) share one class, so
     * the JIT compiles and profiles it once rather than once per layer (on a busy 2-core host the C2 queue of ~75
     * per-layer copies took longer than a benchmark's warm-up). Entry points take parameters by position, so a
     * shared class serves every kernel with the same key.
     */
    public static CacheKey of(Kernel k, String shapeBucket) {
        return new CacheKey(sha256(normalised(k)), shapeBucket, Target.current(), CompilerVersion.ID);
    }

    /** The printed loop IR of {@code k} with its name and parameter names replaced by position ({@code #0, #1, ..}). */
    static String normalised(Kernel k) {
        String text = Printer.print(new Kernel("k", k.params(), k.body()));
        java.util.Map<String, String> rename = new java.util.HashMap<>();
        StringBuilder alt = new StringBuilder();
        for (int i = 0; i < k.params().size(); i++) {
            String name = k.params().get(i).name();
            rename.put(name, "#" + i);
            alt.append(alt.isEmpty() ? "" : "|").append(java.util.regex.Pattern.quote(name));
        }
        if (rename.isEmpty()) return text;
        return java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])(" + alt + ")(?![A-Za-z0-9_])").matcher(text)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(rename.get(m.group(1))));
    }

    /** The full key, stored in the entry and compared on load. */
    public String text() {
        return "kernel=" + kernelHash + " bucket=" + shapeBucket + " target=" + target.text() + " compiler=" + compiler;
    }

    /** SHA-256 of {@link #text()}: the entry's file name. */
    public String digest() {
        return sha256(text());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
