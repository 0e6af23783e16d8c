package dev.ingot.compiler.pass;

import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;

/**
 * How an operand of shape {@code O} broadcasts against a group's row shape {@code S = [..., n]}, which
 * decides its loop IR index inside the row loop ({@code t} row, {@code i} lane).
 */
enum RowForm {
    /** O == S: element {@code t*n + i}. */
    FULL,
    /** O is {@code [n]} (leading 1s allowed): element {@code i} (weights, biases). */
    COL,
    /** O is S with the last dim 1: element {@code t} (a per-row scale). */
    ROW,
    /** One element: element 0. */
    SCALAR;

    /** The form of {@code o} against {@code s}, or null when it does not broadcast in one of these ways. */
    static RowForm of(Shape o, Shape s) {
        if (o.equals(s)) return FULL;
        if (o.numel().equals(Dim.of(1))) return SCALAR;
        if (o.rank() >= 1 && o.rank() <= s.rank() && o.last().equals(s.last()) && leadingOnes(o, o.rank() - 1)) return COL;
        if (o.rank() == s.rank() && o.last().equals(Dim.of(1)) && o.sub(0, o.rank() - 1).equals(s.sub(0, s.rank() - 1))) return ROW;
        return null;
    }

    private static boolean leadingOnes(Shape o, int count) {
        for (int i = 0; i < count; i++) if (!o.dim(i).equals(Dim.of(1))) return false;
        return true;
    }

    /** Whether every dim of {@code s} is an int constant or a bare symbol named like an identifier (a loop IR index). */
    static boolean simpleDims(Shape s) {
        for (Dim d : s.dims()) {
            if (d.isConstant()) {
                if (d.constant() > Integer.MAX_VALUE) return false;
                continue;
            }
            if (d.symbols().size() != 1) return false;
            String name = d.symbols().iterator().next();
            if (!d.equals(Dim.sym(name)) || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) return false;
        }
        return true;
    }
}
