package dev.ingot.model.arch;

import dev.ingot.ir.Graph;
import dev.ingot.tensor.DType;

/**
 * A model's forward graph ({@link ForwardSignature}) with the hyper-parameters the runtime needs to drive it;
 * {@code kvType} (F32 or F16) is the element type of the KV cache inputs the runtime must bind.
 */
public record ModelGraph(String architecture, Graph graph, DecoderParams params, int kvBlockSize, DType kvType) {
    public ModelGraph {
        if (kvType != DType.F32 && kvType != DType.F16) throw new IllegalArgumentException("KV cache type must be f32 or f16, not " + kvType);
    }
}
