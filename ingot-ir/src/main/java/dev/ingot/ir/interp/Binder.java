package dev.ingot.ir.interp;

import dev.ingot.ir.Graph;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binds a graph's symbols for one run: explicit values first, then each input dim that is a bare symbol takes the
 * size of the given tensor; afterwards every input must match its declared dtype and evaluated shape.
 */
final class Binder {
    private Binder() {}

    static Map<String, Long> bind(Graph g, Map<String, Long> given, Map<String, Tensor> inputs) {
        Map<String, Long> b = new TreeMap<>(given);
        Map<String, String> boundBy = new HashMap<>();
        for (Value v : g.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) throw new IllegalArgumentException("missing input '" + v.name() + "' " + v.type() + " (given: " + inputs.keySet() + ")");
            if (t.dtype() != v.dtype()) throw new IllegalArgumentException("input '" + v.name() + "' must be " + v.type() + ", got " + t);
            if (t.rank() != v.rank()) throw new IllegalArgumentException("input '" + v.name() + "' must be " + v.type() + ", got " + t);
            for (int d = 0; d < v.rank(); d++) {
                Dim dim = v.shape().dim(d);
                if (!dim.isSymbol()) continue;
                String s = dim.symbolName();
                Long prev = b.putIfAbsent(s, t.dim(d));
                if (prev != null && prev != t.dim(d)) {
                    String src = boundBy.getOrDefault(s, "the given binding");
                    throw new IllegalArgumentException("symbol " + s + " = " + prev + " (from " + src + ") but input '" + v.name() + "' dim " + d + " is " + t.dim(d));
                }
                boundBy.putIfAbsent(s, "input '" + v.name() + "'");
            }
        }
        for (Value v : g.inputs()) {
            Tensor t = inputs.get(v.name());
            long[] want = v.shape().eval(b);
            if (!Arrays.equals(want, t.shape())) {
                throw new IllegalArgumentException("input '" + v.name() + "' must have shape " + Arrays.toString(want) + " = " + v.shape() + " under " + b + ", got " + t);
            }
        }
        return b;
    }
}
