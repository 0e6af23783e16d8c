package dev.ingot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place tests find shared test data (models, golden outputs): the folder {@code shared/} beside the
 * repository root. The build passes it as {@code -Dingot.shared}; {@code INGOT_SHARED} overrides.
 * A missing file fails the test with its path; it never lets a test pass silently.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String env = System.getenv("INGOT_SHARED");
        String prop = System.getProperty("ingot.shared");
        Path root;
        if (env != null && !env.isBlank()) {
            root = Path.of(env);
        } else if (prop != null && !prop.isBlank()) {
            root = Path.of(prop);
        } else {
            root = findUpwards();
        }
        return root.toAbsolutePath().normalize();
    }

    /** Resolves {@code relative} under the shared folder and fails loudly when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("missing shared test data: " + p
                    + " (expected the folder 'shared/' beside the repository root; set INGOT_SHARED to override)");
        }
        return p;
    }

    public static Path model(String fileName) {
        return require("models/" + fileName);
    }

    public static Path golden(String relative) {
        return require("golden/" + relative);
    }

    // Fallback for IDE runs without the Maven property: walk up from the working directory to find ../shared.
    private static Path findUpwards() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared");
            if (Files.exists(d.resolve("mvnw")) && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir.resolveSibling("shared");
    }
}
