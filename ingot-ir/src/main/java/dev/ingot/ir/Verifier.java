package dev.ingot.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a graph's invariants: SSA (each value defined once, every use after its definition), unique names,
 * weights and inputs named, sources without inputs, each node's output type equal to what its op infers from its inputs, at least one
 * output, every output defined. Reports all problems at once.
 */
public final class Verifier {
    private Verifier() {}

    /** @throws IllegalStateException listing every violation */
    public static void verify(Graph g) {
        List<String> errors = check(g);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("graph does not verify:\n  " + String.join("\n  ", errors));
        }
    }

    /** The violations, empty when the graph is well formed. */
    public static List<String> check(Graph g) {
        List<String> errors = new ArrayList<>();
        Set<Value> defined = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Node n : g.nodes()) {
            String where = Printer.ref(n.output()) + " (" + n.op().mnemonic() + ")";
            for (Value in : n.inputs()) {
                if (!defined.contains(in)) errors.add(where + ": input " + in.label() + " is used before it is defined");
            }
            if (!defined.add(n.output())) errors.add(where + ": value defined twice");
            String name = n.output().name();
            if (name != null && !names.add(name)) errors.add(where + ": duplicate name '" + name + "'");
            if (n.op() instanceof SourceOp.Weight && name == null) errors.add(where + ": weight without a name");
            if (n.op() instanceof SourceOp.Input && name == null) errors.add(where + ": input without a name (inputs are bound by name)");
            if (n.output().definingOp() != n.op()) errors.add(where + ": value's defining op differs from its node's op");
            try {
                TensorType t = n.op().infer(n.inputs().stream().map(Value::type).toList());
                if (!t.equals(n.output().type())) errors.add(where + ": type " + n.output().type() + " but op infers " + t);
            } catch (IllegalArgumentException e) {
                errors.add(where + ": " + e.getMessage());
            }
        }
        if (g.outputs().isEmpty()) errors.add("graph has no outputs");
        for (Value o : g.outputs()) {
            if (!defined.contains(o)) errors.add("output " + o.label() + " is not defined in the graph");
        }
        return errors;
    }
}
