package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Node;
import dev.ingot.ir.Printer;

import java.util.List;

/**
 * The execution order of a graph after fusion: each step is a {@link KernelGroup} (one generated kernel) or
 * a single unfused {@link Node} (library kernel: linear, attention, shape ops). Source nodes (inputs, weights,
 * constants) are not steps. Every step's inputs are produced by earlier steps or sources.
 */
public record FusionPlan(Graph graph, List<Object> steps) {
    public FusionPlan {
        steps = List.copyOf(steps);
    }

    public List<KernelGroup> groups() {
        return steps.stream().filter(s -> s instanceof KernelGroup).map(s -> (KernelGroup) s).toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("plan {\n");
        for (Object s : steps) {
            sb.append("  ").append(s instanceof Node n ? Printer.line(n) : s.toString().replace("\n", "\n  ")).append('\n');
        }
        return sb.append("}\n").toString();
    }
}
