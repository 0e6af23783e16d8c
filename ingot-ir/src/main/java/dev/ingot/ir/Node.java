package dev.ingot.ir;

import java.util.List;

/** One operation: {@code output = op(inputs...)}. Every op has exactly one output. */
public record Node(Op op, List<Value> inputs, Value output) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    public Value input(int i) { return inputs.get(i); }
}
