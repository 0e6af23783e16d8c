package dev.ingot.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable SSA graph: nodes in definition (topological) order, each defining one {@link Value}; the
 * {@link SourceOp.Input}s the caller binds at run time; the {@link SourceOp.Weight}s it references; the outputs.
 * Built by {@link GraphBuilder}, which verifies it ({@link Verifier}).
 */
public final class Graph {
    private final List<Node> nodes;
    private final List<Value> outputs;
    private final Map<Value, Node> producers = new HashMap<>();
    private final Map<String, Value> byName = new LinkedHashMap<>();

    /** A graph over these nodes; call {@link Verifier#verify} (the builder does) before trusting it. */
    public Graph(List<Node> nodes, List<Value> outputs) {
        this.nodes = List.copyOf(nodes);
        this.outputs = List.copyOf(outputs);
        for (Node n : this.nodes) {
            producers.put(n.output(), n);
            if (n.output().name() != null) byName.putIfAbsent(n.output().name(), n.output());
        }
    }

    public List<Node> nodes() { return nodes; }

    public List<Value> outputs() { return outputs; }

    /** Run-time inputs in definition order. */
    public List<Value> inputs() { return ofKind(SourceOp.Input.class); }

    /** External weights in definition order. */
    public List<Value> weights() { return ofKind(SourceOp.Weight.class); }

    private List<Value> ofKind(Class<? extends SourceOp> k) {
        List<Value> r = new ArrayList<>();
        for (Node n : nodes) if (k.isInstance(n.op())) r.add(n.output());
        return r;
    }

    /** The node defining {@code v}, or null when v is not of this graph. */
    public Node producer(Value v) { return producers.get(v); }

    /** The value named {@code name}. @throws IllegalArgumentException when there is none */
    public Value value(String name) {
        Value v = byName.get(name);
        if (v == null) throw new IllegalArgumentException("no value named '" + name + "' in graph");
        return v;
    }

    public boolean hasValue(String name) { return byName.containsKey(name); }

    /** Every symbol in any value's shape (what a run's binding must cover), sorted. */
    public java.util.SortedSet<String> symbols() {
        java.util.SortedSet<String> s = new java.util.TreeSet<>();
        for (Node n : nodes) s.addAll(n.output().shape().symbols());
        return s;
    }

    /** Consumers count per value (outputs count as one use each). */
    public Map<Value, Integer> useCounts() {
        Map<Value, Integer> m = new HashMap<>();
        for (Node n : nodes) for (Value v : n.inputs()) m.merge(v, 1, Integer::sum);
        for (Value v : outputs) m.merge(v, 1, Integer::sum);
        return m;
    }

    /**
     * SHA-256 (hex) of the printed form: equal for graphs with the same ops, attributes, types, names and
     * structure. Weight bytes are not hashed (a weight is identified by name and type).
     */
    public String fingerprint() {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(Printer.print(this).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The nodes that read each value, in node order. */
    public Map<Value, List<Node>> consumers() {
        Map<Value, List<Node>> m = new HashMap<>();
        for (Node n : nodes) for (Value v : n.inputs()) {
            List<Node> l = m.computeIfAbsent(v, k -> new ArrayList<>());
            if (l.isEmpty() || l.getLast() != n) l.add(n);
        }
        return m;
    }

    @Override public String toString() { return Printer.print(this); }
}
