package dev.ingot.compiler.pass;

import dev.ingot.ir.Node;
import dev.ingot.ir.Printer;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Graph nodes fused into one kernel, in graph order. All members produce {@code rowShape} ({@code [..., n]},
 * run as rows {@code R = prod(leading dims)} of length {@code n}).
 *
 * @param inputs  values from outside the group, in first-use order
 * @param outputs members' values read outside the group or returned by the graph
 */
public record KernelGroup(int id, Shape rowShape, List<Node> nodes, List<Value> inputs, List<Value> outputs) {
    public KernelGroup {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    @Override
    public String toString() {
        return "group " + id + " " + rowShape + " (" + nodes.stream().map(n -> n.op().mnemonic()).collect(Collectors.joining(" -> "))
                + ")\n" + nodes.stream().map(n -> "    " + Printer.line(n)).collect(Collectors.joining("\n"))
                + "\n    outputs " + outputs.stream().map(Value::label).collect(Collectors.joining(", "));
    }
}
