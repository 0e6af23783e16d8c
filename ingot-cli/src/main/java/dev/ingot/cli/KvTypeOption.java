package dev.ingot.cli;

import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --kv-dtype}: the KV cache element type of every command that runs a GGUF model. */
final class KvTypeOption {
    @Option(names = "--kv-dtype", paramLabel = "TYPE",
            description = "KV cache element type: f16 (half the memory and attention bytes, llama.cpp's default) or f32 (default: f16)")
    String kvDtype = "f16";

    DType type() {
        return switch (kvDtype.toLowerCase(Locale.ROOT)) {
            case "f16" -> DType.F16;
            case "f32" -> DType.F32;
            default -> throw new IllegalArgumentException("--kv-dtype must be f16 or f32, not '" + kvDtype + "'");
        };
    }

    LoadedModel open(Path model) throws IOException {
        return LoadedModel.open(model, type());
    }
}
