package dev.ingot.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a graph node by node through a {@link Rule}, the building block of graph passes: each node's inputs
 * are first mapped to their rebuilt values; the rule either emits a replacement into the new builder or returns
 * null to copy the node unchanged (same op, same name). Nodes whose values no output needs are dropped. The
 * result is verified.
 */
public final class GraphRewriter {
    private GraphRewriter() {}

    /** Decides a node's replacement. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param b the builder of the new graph
         * @param node the node of the old graph
         * @param inputs the node's inputs, already rebuilt in {@code b}
         * @return the value standing for {@code node.output()} in the new graph, or null to copy the node
         */
        Value apply(GraphBuilder b, Node node, List<Value> inputs);
    }

    public static Graph rewrite(Graph g, Rule rule) {
        Set<Value> live = live(g);
        GraphBuilder b = new GraphBuilder();
        Map<Value, Value> map = new HashMap<>();
        for (Node n : g.nodes()) {
            // inputs are always kept: they are the graph's calling convention even when unused
            if (!live.contains(n.output()) && !(n.op() instanceof SourceOp.Input)) continue;
            List<Value> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) in.add(map.get(v));
            Value out = rule.apply(b, n, in);
            if (out == null) out = b.op(n.op(), in, n.output().name());
            map.put(n.output(), out);
        }
        for (Value o : g.outputs()) b.output(map.get(o));
        return b.build();
    }

    /** Values some output depends on. */
    public static Set<Value> live(Graph g) {
        Set<Value> live = new HashSet<>(g.outputs());
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (live.contains(nodes.get(i).output())) live.addAll(nodes.get(i).inputs());
        }
        return live;
    }
}
