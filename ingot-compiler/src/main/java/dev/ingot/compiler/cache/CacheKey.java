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

    public static CacheKey of(Kernel k, String shapeBucket) {
        return new CacheKey(sha256(Printer.print(k)), shapeBucket, Target.current(), CompilerVersion.ID);
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
