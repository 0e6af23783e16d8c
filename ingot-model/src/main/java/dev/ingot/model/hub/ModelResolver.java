package dev.ingot.model.hub;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns what a user typed after {@code -m} into a local file. Every command that takes a model calls
 * {@link #resolve}:
 * <ul>
 *   <li>a local path (file or directory) is returned as given, or fails with a clear message when missing;
 *       a leading {@code ~/} is expanded because the shell does not do it inside {@code --model=~/...};</li>
 *   <li>{@code hf://OWNER/REPO/FILE} is the cached file, downloaded first when it is not cached yet.</li>
 * </ul>
 * Other URL schemes are rejected rather than read as relative paths.
 */
public final class ModelResolver {
    private final HubClient hub;
    private final DownloadListener listener;

    public ModelResolver(HubClient hub, DownloadListener listener) {
        this.hub = hub;
        this.listener = listener;
    }

    /** Configured from {@code INGOT_CACHE}, {@code HF_ENDPOINT} and {@code HF_TOKEN}. */
    public static ModelResolver fromEnvironment(DownloadListener listener) {
        return new ModelResolver(new HubClient(HubConfig.fromEnvironment()), listener);
    }

    public HubClient hub() {
        return hub;
    }

    public Path resolve(String ref) throws IOException {
        if (ref == null || ref.isBlank()) throw new IllegalArgumentException("no model given");
        if (HfRef.isHfRef(ref)) return hub.pull(HfRef.parse(ref), false, listener);
        int scheme = ref.indexOf("://");
        if (scheme > 0 && ref.substring(0, scheme).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException("unsupported model reference '" + ref
                    + "': use a local path or hf://OWNER/REPO/FILE");
        }
        Path path;
        try {
            path = ref.startsWith("~/") ? Path.of(System.getProperty("user.home"), ref.substring(2)) : Path.of(ref);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("bad model path '" + ref + "': " + e.getMessage(), e);
        }
        if (!Files.exists(path)) {
            throw new FileNotFoundException("model file not found: " + path.toAbsolutePath()
                    + " (a file on Hugging Face is written hf://OWNER/REPO/FILE.gguf)");
        }
        return path;
    }
}
