package dev.ingot.runtime.generate;

import dev.ingot.model.arch.Architectures;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.ModelGraph;
import dev.ingot.model.chat.ChatTemplate;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A GGUF model opened for generation: the memory-mapped file, its forward graph, tokenizer and chat template.
 * The weights stay mapped until {@link #close()}.
 */
public final class LoadedModel implements AutoCloseable {
    public static final int KV_BLOCK_SIZE = 16;

    private final GgufFile file;
    private final ModelGraph graph;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;

    private LoadedModel(GgufFile file, ModelGraph graph, Tokenizer tokenizer, ChatTemplate chatTemplate) {
        this.file = file;
        this.graph = graph;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
    }

    /** The KV cache element type when none is asked for: F16, as llama.cpp (half the memory and attention bytes). */
    public static final DType DEFAULT_KV_TYPE = DType.F16;

    /** Opens {@code path} with the {@link #DEFAULT_KV_TYPE default} KV cache type. */
    public static LoadedModel open(Path path) throws IOException {
        return open(path, DEFAULT_KV_TYPE);
    }

    /**
     * Opens {@code path} with KV caches of {@code kvType} (F16 or F32); unknown architectures and missing tensors
     * are clear errors, and nothing stays open.
     */
    public static LoadedModel open(Path path, DType kvType) throws IOException {
        GgufFile f = GgufFile.open(path);
        try {
            ModelGraph g = Architectures.build(f, KV_BLOCK_SIZE, kvType);
            Tokenizer t = Tokenizer.fromGguf(f);
            if (t.vocabSize() != g.params().nVocab()) {
                throw new IllegalArgumentException(path + ": tokenizer has " + t.vocabSize() + " tokens but the model's vocabulary is " + g.params().nVocab());
            }
            return new LoadedModel(f, g, t, ChatTemplate.fromGguf(f));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public GgufFile file() { return file; }

    public ModelGraph graph() { return graph; }

    public Tokenizer tokenizer() { return tokenizer; }

    /** The KV cache layout the forward graph expects ({@code KV_BLOCK_SIZE}-token blocks of its KV type). */
    public KvLayout kvLayout() {
        DecoderParams p = graph.params();
        return new KvLayout(p.nLayer(), p.nHeadKv(), p.headDim(), KV_BLOCK_SIZE, graph.kvType());
    }

    public ChatTemplate chatTemplate() { return chatTemplate; }

    /** Bytes of all weight tensors (what a decode step streams from memory, roughly). */
    public long weightBytes() {
        return file.tensors().stream().mapToLong(t -> t.bytes()).sum();
    }

    @Override
    public void close() { file.close(); }
}
