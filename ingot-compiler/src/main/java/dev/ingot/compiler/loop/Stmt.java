package dev.ingot.compiler.loop;

import java.util.List;

/** Statements. Names introduced by {@link Let} and {@link Reduce} are visible to the end of their block. */
public sealed interface Stmt {
    /**
     * {@code for var in lo..hi}. When {@code vector} is set the loop runs {@code VL} lanes at a time
     * ({@code VL = FloatVector.SPECIES_PREFERRED.length()}) with a scalar tail; its body may hold only
     * {@link Let} and {@link Store}.
     */
    record Loop(String var, Index lo, Index hi, boolean vector, List<Stmt> body) implements Stmt {
        public Loop { body = List.copyOf(body); }
    }

    /** {@code buf[idx] = value} into an {@link Param.Arena} buffer. */
    record Store(String buf, Index idx, Expr value) implements Stmt {}

    /** A float local (a vector inside a vector loop). */
    record Let(String name, Expr value) implements Stmt {}

    /**
     * A loop that folds {@code value} into float accumulator {@code acc} ({@code kind}: sum, max or sum of
     * squares); {@code body} (lets and stores) runs first in each iteration, so a row can be written
     * and reduced in one pass. After the loop {@code acc} is a float local.
     */
    record Reduce(String acc, Kind kind, String var, Index lo, Index hi, boolean vector,
                  List<Stmt> body, Expr value) implements Stmt {
        public Reduce { body = List.copyOf(body); }
    }

    enum Kind { SUM, MAX, SUMSQ }

    /**
     * A call to a public static library method (e.g. a quantised matvec in {@code dev.ingot.kernel}).
     * Arguments map to JVM types as the kernel's own parameters do; the method is found by reflection.
     */
    record Call(Class<?> owner, String method, List<Arg> args) implements Stmt {
        public Call { args = List.copyOf(args); }
    }

    /** A call argument. */
    sealed interface Arg {
        /** A buffer parameter: {@code (float[]/int[], off + offset)} for arenas/ints, the segment for weights. */
        record Buf(String buf, Index offset) implements Arg {}

        record Int(Index value) implements Arg {}

        record Flt(Expr value) implements Arg {}

        /** A long scalar parameter passed through. */
        record Lng(String param) implements Arg {}
    }
}
