package dev.ingot.ir.shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One dimension of a shape: an integer polynomial over named symbols ({@code T}, {@code S}, {@code batch}) and
 * opaque exact quotients. Kept in a canonical form (sum of monomials with non-zero coefficients, atoms sorted), so
 * two dims are {@link #equals equal} exactly when their canonical forms agree; {@code T*32*64 == 2048*T} holds,
 * {@code (T*2048)/64 == T*32} holds, while a quotient that does not divide symbolically (e.g. {@code T/2}) stays
 * an atom checked for exactness when evaluated. Immutable.
 */
public final class Dim implements Comparable<Dim> {
    /** Monomial (sorted atoms, possibly empty = the constant term) to its coefficient; never holds 0. */
    private final SortedMap<Mono, Long> terms;

    private Dim(SortedMap<Mono, Long> terms) {
        this.terms = Collections.unmodifiableSortedMap(terms);
    }

    public static Dim of(long value) {
        TreeMap<Mono, Long> t = new TreeMap<>();
        if (value != 0) t.put(Mono.ONE, value);
        return new Dim(t);
    }

    /** A named symbol; names are free-form (ONNX dim_params) but must not be blank. */
    public static Dim sym(String name) {
        return atom(new Atom.Sym(name));
    }

    private static Dim atom(Atom a) {
        TreeMap<Mono, Long> t = new TreeMap<>();
        t.put(new Mono(List.of(a)), 1L);
        return new Dim(t);
    }

    /** Parses the printed form ({@code 32*T}, {@code B*S + 1}, {@code (3*T)/2}, {@code 'batch size'}). */
    public static Dim parse(String text) { return DimParser.parseDim(text); }

    /** Converts Integer/Long/String(symbol)/Dim to a Dim. */
    public static Dim from(Object o) {
        return switch (o) {
            case Dim d -> d;
            case Integer i -> of(i);
            case Long l -> of(l);
            case String s -> sym(s);
            default -> throw new IllegalArgumentException("not a dimension: " + o);
        };
    }

    public Dim plus(Dim o) {
        TreeMap<Mono, Long> t = new TreeMap<>(terms);
        o.terms.forEach((m, c) -> {
            long v = Math.addExact(t.getOrDefault(m, 0L), c);
            if (v == 0) t.remove(m); else t.put(m, v);
        });
        return new Dim(t);
    }

    public Dim plus(long c) { return plus(of(c)); }

    public Dim minus(Dim o) { return plus(o.times(-1)); }

    public Dim minus(long c) { return plus(of(-c)); }

    public Dim times(long c) { return times(of(c)); }

    public Dim times(Dim o) {
        Dim r = of(0);
        for (var a : terms.entrySet()) {
            TreeMap<Mono, Long> t = new TreeMap<>();
            for (var b : o.terms.entrySet()) {
                t.put(a.getKey().times(b.getKey()), Math.multiplyExact(a.getValue(), b.getValue()));
            }
            r = r.plus(new Dim(t));
        }
        return r;
    }

    /**
     * Exact division. Simplifies when every term is divisible by {@code d} (a constant, or a single monomial
     * such as {@code 2*T}); otherwise reduces by the common constant factor and keeps an opaque quotient atom,
     * which {@link #eval} checks for exactness.
     */
    public Dim div(Dim d) {
        if (d.isConstant() && d.constant() == 0) throw new ArithmeticException("division by zero dim: " + this + " / 0");
        if (d.equals(of(1))) return this;
        if (this.equals(d)) return of(1);
        if (d.terms.size() == 1) {
            var e = d.terms.entrySet().iterator().next();
            Mono dm = e.getKey();
            long dc = e.getValue();
            TreeMap<Mono, Long> t = new TreeMap<>();
            boolean ok = true;
            for (var a : terms.entrySet()) {
                Mono q = a.getKey().divide(dm);
                if (q == null || a.getValue() % dc != 0) { ok = false; break; }
                t.put(q, a.getValue() / dc);
            }
            if (ok) return new Dim(t);
            if (dm.equals(Mono.ONE)) {
                // reduce (6*T)/4 to (3*T)/2 so equal quotients have one canonical form
                long g = Math.abs(dc);
                for (long c : terms.values()) g = gcd(g, Math.abs(c));
                if (g > 1) return times(1).divConst(g).div(of(dc / g));
            }
        }
        return atom(new Atom.Quot(this, d));
    }

    public Dim div(long c) { return div(of(c)); }

    private Dim divConst(long g) {
        TreeMap<Mono, Long> t = new TreeMap<>();
        terms.forEach((m, c) -> t.put(m, c / g));
        return new Dim(t);
    }

    private static long gcd(long a, long b) { return b == 0 ? a : gcd(b, a % b); }

    public boolean isConstant() {
        return terms.isEmpty() || (terms.size() == 1 && terms.containsKey(Mono.ONE));
    }

    /** The value of a constant dim. @throws IllegalStateException when symbolic */
    public long constant() {
        if (!isConstant()) throw new IllegalStateException("dimension " + this + " is symbolic");
        return terms.getOrDefault(Mono.ONE, 0L);
    }

    /** True for a bare symbol such as {@code T} (the dims an input tensor's actual size binds). */
    public boolean isSymbol() {
        if (terms.size() != 1) return false;
        var e = terms.entrySet().iterator().next();
        return e.getValue() == 1 && e.getKey().atoms().size() == 1 && e.getKey().atoms().getFirst() instanceof Atom.Sym;
    }

    /** The name of a bare symbol. */
    public String symbolName() {
        if (!isSymbol()) throw new IllegalStateException("dimension " + this + " is not a bare symbol");
        return ((Atom.Sym) terms.firstKey().atoms().getFirst()).name();
    }

    /** All symbol names this dim mentions. */
    public Set<String> symbols() {
        Set<String> s = new TreeSet<>();
        for (Mono m : terms.keySet()) for (Atom a : m.atoms()) a.collectSymbols(s);
        return s;
    }

    /**
     * Evaluates under {@code binding} (symbol name to value).
     *
     * @throws IllegalArgumentException for an unbound symbol or an inexact quotient
     */
    public long eval(Map<String, Long> binding) {
        long r = 0;
        for (var e : terms.entrySet()) {
            long p = e.getValue();
            for (Atom a : e.getKey().atoms()) p = Math.multiplyExact(p, a.eval(binding));
            r = Math.addExact(r, p);
        }
        return r;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Dim d && terms.equals(d.terms);
    }

    @Override public int hashCode() { return terms.hashCode(); }

    @Override public int compareTo(Dim o) { return toString().compareTo(o.toString()); }

    /** Canonical text: {@code 256}, {@code T}, {@code 32*T}, {@code S*B + 1}, {@code (3*T)/2}. */
    @Override public String toString() {
        if (terms.isEmpty()) return "0";
        StringBuilder sb = new StringBuilder();
        for (var e : terms.entrySet()) {
            long c = e.getValue();
            Mono m = e.getKey();
            if (sb.isEmpty()) {
                if (c < 0) sb.append('-');
            } else {
                sb.append(c < 0 ? " - " : " + ");
            }
            long ac = Math.abs(c);
            // a quotient among other factors is parenthesised so the text parses back to the same atom
            if (m.equals(Mono.ONE)) sb.append(ac);
            else if (ac == 1) sb.append(m.render(c == 1 && m.atoms().size() == 1));
            else sb.append(ac).append('*').append(m.render(false));
        }
        return sb.toString();
    }

    /** Atoms of monomials: symbols and opaque exact quotients. */
    sealed interface Atom extends Comparable<Atom> {
        long eval(Map<String, Long> binding);

        void collectSymbols(Set<String> out);

        @Override default int compareTo(Atom o) { return toString().compareTo(o.toString()); }

        record Sym(String name) implements Atom {
            public Sym {
                if (name == null || name.isBlank()) throw new IllegalArgumentException("symbol name must not be blank");
            }

            @Override public long eval(Map<String, Long> binding) {
                Long v = binding.get(name);
                if (v == null) throw new IllegalArgumentException("symbol '" + name + "' is not bound (bound: " + binding.keySet() + ")");
                return v;
            }

            @Override public void collectSymbols(Set<String> out) { out.add(name); }

            @Override public String toString() {
                return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "'" + name + "'";
            }
        }

        record Quot(Dim num, Dim den) implements Atom {
            @Override public long eval(Map<String, Long> binding) {
                long n = num.eval(binding), d = den.eval(binding);
                if (d == 0 || n % d != 0) {
                    throw new IllegalArgumentException("dimension " + this + " is not exact: " + n + " / " + d);
                }
                return n / d;
            }

            @Override public void collectSymbols(Set<String> out) {
                out.addAll(num.symbols());
                out.addAll(den.symbols());
            }

            @Override public String toString() {
                return wrap(num) + "/" + wrap(den);
            }

            private static String wrap(Dim d) {
                return d.isConstant() || d.isSymbol() ? d.toString() : "(" + d + ")";
            }
        }
    }

    /** A product of atoms, sorted; the empty product is the constant term. Ordered by degree (higher first), then text. */
    record Mono(List<Atom> atoms) implements Comparable<Mono> {
        static final Mono ONE = new Mono(List.of());

        Mono {
            List<Atom> s = new ArrayList<>(atoms);
            Collections.sort(s);
            atoms = List.copyOf(s);
        }

        Mono times(Mono o) {
            List<Atom> s = new ArrayList<>(atoms);
            s.addAll(o.atoms);
            return new Mono(s);
        }

        /** this / o when o's atoms are a sub-multiset of this one's, else null. */
        Mono divide(Mono o) {
            List<Atom> s = new ArrayList<>(atoms);
            for (Atom a : o.atoms) if (!s.remove(a)) return null;
            return new Mono(s);
        }

        @Override public int compareTo(Mono o) {
            if (atoms.size() != o.atoms.size()) return Integer.compare(o.atoms.size(), atoms.size());
            for (int i = 0; i < atoms.size(); i++) {
                int c = atoms.get(i).compareTo(o.atoms.get(i));
                if (c != 0) return c;
            }
            return 0;
        }

        @Override public boolean equals(Object o) { return o instanceof Mono m && atoms.equals(m.atoms); }

        @Override public int hashCode() { return Objects.hash(atoms); }

        @Override public String toString() { return render(atoms.size() == 1); }

        /** Atoms joined by '*'; quotients wrapped in parentheses unless {@code alone}. */
        String render(boolean alone) {
            StringBuilder sb = new StringBuilder();
            for (Atom a : atoms) {
                if (!sb.isEmpty()) sb.append('*');
                if (a instanceof Atom.Quot && !alone) sb.append('(').append(a).append(')');
                else sb.append(a);
            }
            return sb.toString();
        }
    }
}
