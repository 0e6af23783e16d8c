package dev.ingot.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The one place a {@code -m} argument becomes a file: a local path, or an {@code hf://OWNER/REPO/FILE.gguf}
 * reference resolved through the model cache (downloaded with {@code ingot pull}'s progress bar when missing).
 */
final class ModelRefs {
    private ModelRefs() {}

    static Path resolve(String ref, PrintWriter err) throws IOException {
        return DownloadProgress.resolver(err).resolve(ref);
    }
}
