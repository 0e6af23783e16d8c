package dev.ingot.compiler.loop;

import java.util.List;
import java.util.Optional;

/** A loop IR kernel: a name (a JVM identifier), parameters and a body. Immutable. */
public record Kernel(String name, List<Param> params, List<Stmt> body) {
    public Kernel {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }

    public Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The stable text form (see {@link Printer}). */
    @Override
    public String toString() {
        return Printer.print(this);
    }
}
