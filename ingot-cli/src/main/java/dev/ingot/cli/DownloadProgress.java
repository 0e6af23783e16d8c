package dev.ingot.cli;

import dev.ingot.model.hub.DownloadListener;
import dev.ingot.model.hub.HfRef;
import dev.ingot.model.hub.HubClient;
import dev.ingot.model.hub.HubConfig;
import dev.ingot.model.hub.ModelResolver;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Shows downloads with {@link Progress}: a bar on a terminal, a few lines otherwise. Commands that take a
 * model ({@code -m}) get their resolver from {@link #resolver}, so {@code hf://} references download with
 * the same display as {@code ingot pull}.
 */
final class DownloadProgress implements DownloadListener {
    private static final long MIB = 1 << 20;

    private final PrintWriter err;
    private Progress progress;

    DownloadProgress(PrintWriter err) {
        this.err = err;
    }

    /**
     * The resolver for {@code -m MODEL}: a local path, or {@code hf://OWNER/REPO/FILE} pulled into the cache
     * ({@code INGOT_CACHE}, {@code HF_ENDPOINT}, {@code HF_TOKEN} apply). Use: {@code resolver(err).resolve(model)}.
     */
    static ModelResolver resolver(PrintWriter err) {
        return new ModelResolver(new HubClient(HubConfig.fromEnvironment()), new DownloadProgress(err));
    }

    @Override
    public void started(HfRef ref, long resumedFrom, long total) {
        String size = total >= 0 ? String.format(java.util.Locale.ROOT, "%.1f MiB", total / (double) MIB) : "size unknown";
        err.println("downloading " + ref + " (" + size + (resumedFrom > 0 ? ", resuming at "
                + String.format(java.util.Locale.ROOT, "%.1f MiB", resumedFrom / (double) MIB) : "") + ")");
        err.flush();
        // without a size there is nothing to draw a bar against; the start and end lines must do
        if (total > 0) {
            progress = Progress.start(ref.fileName(), total, "MiB", MIB, err);
            progress.stepTo(resumedFrom);
        }
    }

    @Override
    public void progress(long done) {
        if (progress != null) progress.stepTo(done);
    }

    @Override
    public void ended() {
        if (progress != null) progress.close();
        progress = null;
    }

    @Override
    public void retrying(HfRef ref, int attempt, IOException cause) {
        err.println("connection lost (" + cause.getMessage() + "); resuming, attempt " + (attempt + 1));
        err.flush();
    }
}
