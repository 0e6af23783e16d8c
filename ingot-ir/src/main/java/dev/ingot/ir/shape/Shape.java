package dev.ingot.ir.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An ordered list of {@link Dim}s; rank 0 is a scalar. Immutable; equal when all dims are equal. */
public record Shape(List<Dim> dims) {
    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    /** {@code Shape.of("T", 32, 64)}: Integers/Longs are constants, Strings symbols, Dims as they are. */
    public static Shape of(Object... dims) {
        List<Dim> l = new ArrayList<>(dims.length);
        for (Object o : dims) l.add(Dim.from(o));
        return new Shape(l);
    }

    /** A static shape from sizes. */
    public static Shape ofSizes(long... dims) {
        List<Dim> l = new ArrayList<>(dims.length);
        for (long d : dims) l.add(Dim.of(d));
        return new Shape(l);
    }

    /** Parses the printed form {@code [T, 32*64]}. */
    public static Shape parse(String text) { return DimParser.parseShape(text); }

    public int rank() { return dims.size(); }

    /** Dim {@code i}; negative indices count from the end as in numpy. */
    public Dim dim(int i) { return dims.get(axis(i)); }

    public Dim last() { return dims.getLast(); }

    /** Normalises a possibly negative axis against this rank. */
    public int axis(int i) {
        int a = i < 0 ? i + rank() : i;
        if (a < 0 || a >= rank()) throw new IllegalArgumentException("axis " + i + " out of range for rank " + rank() + " shape " + this);
        return a;
    }

    /** Number of elements: the product of all dims (1 for a scalar). */
    public Dim numel() {
        Dim n = Dim.of(1);
        for (Dim d : dims) n = n.times(d);
        return n;
    }

    public boolean isStatic() {
        for (Dim d : dims) if (!d.isConstant()) return false;
        return true;
    }

    /** Sizes of a static shape. */
    public long[] staticSizes() {
        long[] r = new long[rank()];
        for (int i = 0; i < r.length; i++) r[i] = dims.get(i).constant();
        return r;
    }

    /** Sizes when static, else null. */
    public long[] staticSizesOrNull() { return isStatic() ? staticSizes() : null; }

    public long[] eval(Map<String, Long> binding) {
        long[] r = new long[rank()];
        for (int i = 0; i < r.length; i++) r[i] = dims.get(i).eval(binding);
        return r;
    }

    public Set<String> symbols() {
        Set<String> s = new TreeSet<>();
        for (Dim d : dims) s.addAll(d.symbols());
        return s;
    }

    public Shape with(int axis, Dim d) {
        List<Dim> l = new ArrayList<>(dims);
        l.set(axis(axis), d);
        return new Shape(l);
    }

    /** All but the last dim, with {@code last} appended. */
    public Shape withLast(Dim last) { return with(-1, last); }

    public Shape append(Dim d) {
        List<Dim> l = new ArrayList<>(dims);
        l.add(d);
        return new Shape(l);
    }

    /** Dims [from, to). */
    public Shape sub(int from, int to) { return new Shape(dims.subList(from, to)); }

    /**
     * Numpy broadcasting of two shapes (right-aligned; a dim equal to constant 1 stretches). Symbolic dims
     * broadcast only against an equal dim or a constant 1: a symbol is never assumed to be 1 at run time.
     */
    public static Shape broadcast(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        Dim[] out = new Dim[r];
        for (int i = 0; i < r; i++) {
            int ia = a.rank() - r + i, ib = b.rank() - r + i;
            Dim da = ia >= 0 ? a.dims.get(ia) : Dim.of(1);
            Dim db = ib >= 0 ? b.dims.get(ib) : Dim.of(1);
            if (da.equals(db) || db.equals(Dim.of(1))) out[i] = da;
            else if (da.equals(Dim.of(1))) out[i] = db;
            else throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast (dim " + da + " vs " + db + ")");
        }
        return new Shape(Arrays.asList(out));
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims.get(i));
        }
        return sb.append(']').toString();
    }
}
