package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Node;
import dev.ingot.ir.Op;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes an op on the same (rebuilt) inputs once. Op records compare by value, so {@code (op, inputs)} is
 * the key. Sources are never merged (inputs and weights are distinct by name; constants are cheap). The
 * duplicate's name, if any, is lost: the surviving value keeps the first one's name.
 */
public final class CommonSubexpressions implements Pass {
    @Override
    public String name() {
        return "cse";
    }

    private record Key(Op op, List<Value> inputs) {}

    @Override
    public Graph run(Graph g) {
        Rebuild r = new Rebuild();
        Map<Key, Value> seen = new HashMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof SourceOp) {
                r.copy(n);
                continue;
            }
            Key k = new Key(n.op(), r.inputs(n));
            Value prior = seen.get(k);
            if (prior != null) r.alias(n.output(), prior);
            else seen.put(k, r.copy(n));
        }
        return r.finish(g);
    }
}
