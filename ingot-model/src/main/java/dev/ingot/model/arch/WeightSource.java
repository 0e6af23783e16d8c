package dev.ingot.model.arch;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import java.util.Optional;

/**
 * Where an architecture builder gets its weights, by GGUF tensor name ({@code blk.0.attn_q.weight}). Each name is
 * turned into a graph weight once; a missing required tensor is a clear error naming it.
 */
public interface WeightSource {

    /** The weight {@code name} as a value of {@code b}, or empty when the model has no such tensor. */
    Optional<Value> find(GraphBuilder b, String name);

    /** Where the weights come from, for error messages. */
    String describe();

    default Value require(GraphBuilder b, String name) {
        return find(b, name).orElseThrow(() -> new IllegalArgumentException(
                describe() + ": missing tensor '" + name + "'"));
    }
}
