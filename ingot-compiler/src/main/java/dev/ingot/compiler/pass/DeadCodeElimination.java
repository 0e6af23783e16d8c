package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Node;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes no output depends on. Inputs always stay (callers bind them by name; dropping one would
 * change the program's calling contract). State is threaded through SSA ({@code kv_write} returns the cache),
 * so a write nothing reads is dead too.
 */
public final class DeadCodeElimination implements Pass {
    @Override
    public String name() {
        return "dce";
    }

    @Override
    public Graph run(Graph g) {
        Set<Value> live = new HashSet<>(g.outputs());
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (live.contains(n.output()) || n.op() instanceof SourceOp.Input) live.addAll(n.inputs());
        }
        Rebuild r = new Rebuild();
        for (Node n : nodes) {
            if (live.contains(n.output()) || n.op() instanceof SourceOp.Input) r.copy(n);
        }
        return r.finish(g);
    }
}
