package dev.ingot.tune;

import java.util.Arrays;

/**
 * One dimension of a schedule space as the search sees it: a name and the ordered values it may take.
 * Evolutionary operators work on value indices (a mutation moves an index by a small step, so neighbouring
 * tile sizes stay neighbours); the space decodes index vectors into schedules.
 */
public record Gene(String name, int[] values) {
    public Gene {
        if (values.length == 0) throw new IllegalArgumentException("gene " + name + " has no values");
        values = values.clone();
    }

    public int size() { return values.length; }

    public int value(int index) { return values[index]; }

    /** Index of {@code v}, or -1. */
    public int indexOf(int v) {
        for (int i = 0; i < values.length; i++) if (values[i] == v) return i;
        return -1;
    }

    /** Index of {@code v}; IllegalArgumentException when the gene has no such value (a schedule outside the space). */
    public int index(int v) {
        int i = indexOf(v);
        if (i < 0) throw new IllegalArgumentException(name + " = " + v + " is outside the space");
        return i;
    }

    @Override public int[] values() { return values.clone(); }

    @Override public String toString() { return name + Arrays.toString(values); }
}
