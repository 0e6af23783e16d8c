package dev.ingot.model.arch;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.tensor.DType;
import dev.ingot.model.llama.LlamaArchitecture;
import dev.ingot.model.qwen2.Qwen2Architecture;
import java.util.List;
import java.util.stream.Collectors;

/** The supported architectures, looked up by {@code general.architecture}. */
public final class Architectures {
    private Architectures() {}

    private static final List<Architecture> ALL = List.of(new LlamaArchitecture(), new Qwen2Architecture());

    public static Architecture of(String name) {
        for (Architecture a : ALL) if (a.name().equals(name)) return a;
        throw new IllegalArgumentException("unsupported architecture '" + name + "' (supported: "
                + ALL.stream().map(Architecture::name).collect(Collectors.joining(", ")) + ")");
    }

    /** The forward graph of the model in {@code f} with an F32 KV cache (the reference for golden tests). */
    public static ModelGraph build(GgufFile f, int kvBlockSize) {
        return build(f, kvBlockSize, DType.F32);
    }

    /** The forward graph of the model in {@code f}; {@code kvType} (F32 or F16) is the element type of its KV cache inputs. */
    public static ModelGraph build(GgufFile f, int kvBlockSize, DType kvType) {
        String arch = f.string("general.architecture")
                .orElseThrow(() -> new IllegalArgumentException(f.path() + ": missing metadata key 'general.architecture'"));
        return of(arch).build(f, kvBlockSize, kvType);
    }
}
