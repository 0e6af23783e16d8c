package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Node;
import dev.ingot.ir.Value;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a graph into a new builder node by node: passes decide per node to copy it, alias its value to
 * another (already copied) value, or replace it. Values of the old graph map to values of the new one.
 */
final class Rebuild {
    final GraphBuilder b = new GraphBuilder();
    private final Map<Value, Value> map = new HashMap<>();

    /** The new value for an old one. */
    Value get(Value old) {
        Value v = map.get(old);
        if (v == null) throw new IllegalStateException("pass bug: " + old + " used before it was rebuilt");
        return v;
    }

    List<Value> inputs(Node n) {
        return n.inputs().stream().map(this::get).toList();
    }

    /** Copies {@code n} with its inputs mapped, keeping its op and name. */
    Value copy(Node n) {
        Value v = b.op(n.op(), inputs(n), n.output().name());
        map.put(n.output(), v);
        return v;
    }

    /** Makes {@code old} stand for {@code replacement} (a value of the new graph). */
    void alias(Value old, Value replacement) {
        map.put(old, replacement);
    }

    boolean has(Value old) {
        return map.containsKey(old);
    }

    Graph finish(Graph old) {
        for (Value o : old.outputs()) b.output(get(o));
        return b.build();
    }
}
