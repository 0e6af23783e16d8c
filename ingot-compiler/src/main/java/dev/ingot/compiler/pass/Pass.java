package dev.ingot.compiler.pass;

import dev.ingot.ir.Graph;

/** A graph-to-graph rewrite. Must return a verified graph with the same inputs and outputs (by position). */
public interface Pass {
    /** Short kebab-case name, printed in the pipeline log ({@code cse}, {@code dce}). */
    String name();

    Graph run(Graph g);
}
