package dev.ingot.cli;

import dev.ingot.model.hub.DownloadListener;
import dev.ingot.model.hub.HfRef;
import dev.ingot.model.hub.ModelResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The one place a {@code -m} argument becomes a file: a local path, or an {@code hf://OWNER/REPO/FILE.gguf}
 * reference resolved through the model cache (downloaded with a progress bar when missing).
 */
final class ModelRefs {
    private ModelRefs() {}

    static Path resolve(String ref, PrintWriter err) throws IOException {
        return ModelResolver.fromEnvironment(new ProgressListener(err)).resolve(ref);
    }

    /** Shows a download as a progress bar. */
    static final class ProgressListener implements DownloadListener {
        private final PrintWriter err;
        private Progress bar;

        ProgressListener(PrintWriter err) { this.err = err; }

        @Override public void started(HfRef ref, long resumedFrom, long total) {
            bar = Progress.start("pull " + ref, total > 0 ? total : Long.MAX_VALUE, "MiB", 1 << 20, err);
            bar.stepTo(resumedFrom);
        }

        @Override public void progress(long done) { if (bar != null) bar.stepTo(done); }

        @Override public void ended() {
            if (bar != null) bar.close();
            bar = null;
        }

        @Override public void retrying(HfRef ref, int attempt, IOException cause) {
            err.println("pull " + ref + ": connection lost (" + cause.getMessage() + "), resuming (attempt " + attempt + ")");
            err.flush();
        }
    }
}
