package dev.ingot.model.gguf;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid GGUF file (or uses a feature this reader does not support). The message names the file. */
public final class GgufFormatException extends IOException {
    private final Path file;

    public GgufFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public GgufFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() { return file; }
}
