package dev.ingot.model.arch;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Weights straight from a memory-mapped GGUF file: graph weights reference the mapping, nothing is copied. */
public final class GgufWeights implements WeightSource {
    private final GgufFile file;
    // One graph value per (builder, tensor): the same tensor may be used twice (tied embeddings).
    private final Map<GraphBuilder, Map<String, Value>> made = new IdentityHashMap<>();

    public GgufWeights(GgufFile file) { this.file = file; }

    @Override
    public Optional<Value> find(GraphBuilder b, String name) {
        Map<String, Value> mine = made.computeIfAbsent(b, k -> new HashMap<>());
        Value v = mine.get(name);
        if (v != null) return Optional.of(v);
        Optional<GgufTensorInfo> info = file.tensor(name);
        if (info.isEmpty()) return Optional.empty();
        GgufTensorInfo t = info.get();
        v = b.weight(name, t.type(), Shape.ofSizes(t.shape()), file.data(t));
        mine.put(name, v);
        return Optional.of(v);
    }

    @Override
    public String describe() { return file.path().toString(); }
}
