package dev.ingot.model.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid safetensors file or checkpoint. The message names the file and the problem. */
public final class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
