package dev.ingot.compiler.pass;

import dev.ingot.codegen.jvm.Debug;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Printer;

import java.util.ArrayList;
import java.util.List;

/** A named, linear list of passes. {@code -Dingot.debug=2} prints the graph after each pass. */
public final class PassPipeline {
    private final List<Pass> passes;

    /** What one pass did: its name and the node counts before and after. */
    public record Step(String pass, int nodesBefore, int nodesAfter) {}

    /** The final graph and one step per pass. */
    public record Result(Graph graph, List<Step> steps) {}

    public PassPipeline(List<Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** fold-constants, cse, dce. */
    public static PassPipeline standard() {
        return new PassPipeline(List.of(new ConstantFolding(), new CommonSubexpressions(), new DeadCodeElimination()));
    }

    public List<String> names() {
        return passes.stream().map(Pass::name).toList();
    }

    public Result run(Graph g) {
        List<Step> steps = new ArrayList<>();
        if (Debug.level() >= 2) System.err.println("[ingot] graph before passes\n" + Printer.print(g));
        for (Pass p : passes) {
            int before = g.nodes().size();
            g = p.run(g);
            steps.add(new Step(p.name(), before, g.nodes().size()));
            if (Debug.level() >= 2) {
                System.err.println("[ingot] after " + p.name() + " (" + before + " -> " + g.nodes().size() + " nodes)\n" + Printer.print(g));
            }
        }
        return new Result(g, steps);
    }
}
