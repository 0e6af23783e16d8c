package dev.ingot.compiler.graphexec;

import dev.ingot.ir.interp.Tensor;
import java.util.Map;

/** What the steps of one plan run on: its arena of F32 activations, its tensor slots and the symbol binding. */
final class Frame {
    final float[] arena;
    final Tensor[] slots;
    final Map<String, Long> binding;

    Frame(float[] arena, int slots, Map<String, Long> binding) {
        this.arena = arena;
        this.slots = new Tensor[slots];
        this.binding = Map.copyOf(binding);
    }
}
