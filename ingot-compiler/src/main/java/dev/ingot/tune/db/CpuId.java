package dev.ingot.tune.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The CPU a measurement was taken on: model name and feature flags from /proc/cpuinfo (architecture only
 * elsewhere) and the number of cores this JVM may use. Two machines with the same key run kernels at the
 * same speed closely enough to share tuned schedules. Key: {@code <model>|<sha256(flags) prefix>|<cores>cpu}.
 */
public record CpuId(String model, String featuresHash, int cores) {
    public String key() { return model + "|" + featuresHash + "|" + cores + "cpu"; }

    /** This machine. */
    public static CpuId current() {
        String model = System.getProperty("os.arch"), flags = "";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name") && model.equals(System.getProperty("os.arch"))) model = value(l);
                if (l.startsWith("flags") && flags.isEmpty()) flags = value(l);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture alone names the CPU
        }
        return new CpuId(model.replace('|', '/'), sha256(flags).substring(0, 12), Runtime.getRuntime().availableProcessors());
    }

    private static String value(String line) { return line.substring(line.indexOf(':') + 1).trim(); }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
