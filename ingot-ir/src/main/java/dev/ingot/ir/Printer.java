package dev.ingot.ir;

import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stable text form of a graph, one node per line, deterministic for a given graph:
 * <pre>
 * graph {
 *   %0 = input : i32[T]  # tokens
 *   @token_embd.weight = weight : f32[32000, 256]
 *   %12 = rms_norm(%11, @blk.0.attn_norm.weight) {eps=1e-05} : f32[T, 256]  # attn_norm.0
 *   return %40
 * }
 * </pre>
 * Weights are referenced as {@code @name}, everything else as {@code %id}; a value's name follows {@code #}.
 * Constants of at most 8 elements print their values.
 */
public final class Printer {
    private Printer() {}

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder("graph {\n");
        for (Node n : g.nodes()) sb.append("  ").append(line(n)).append('\n');
        sb.append("  return");
        for (int i = 0; i < g.outputs().size(); i++) sb.append(i == 0 ? " " : ", ").append(ref(g.outputs().get(i)));
        return sb.append("\n}\n").toString();
    }

    /**
     * A one-paragraph summary: node, input and weight counts, weight bytes by dtype, op counts by mnemonic (in
     * first-use order), symbols. For {@code ingot inspect} and logs.
     */
    public static String summary(Graph g) {
        Map<String, Integer> ops = new java.util.LinkedHashMap<>();
        Map<String, Long> bytes = new java.util.TreeMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof SourceOp.Weight w) bytes.merge(TensorType.dtypeName(w.type().dtype()), SourceOp.byteSize(w.type()), Long::sum);
            else if (!(n.op() instanceof SourceOp)) ops.merge(n.op().mnemonic(), 1, Integer::sum);
        }
        long total = bytes.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(g.nodes().size()).append(" nodes, ").append(g.inputs().size()).append(" inputs, ")
                .append(g.weights().size()).append(" weights (").append(total).append(" bytes: ").append(bytes).append("), ")
                .append(g.outputs().size()).append(" outputs; symbols ").append(g.symbols()).append("\nops:");
        ops.forEach((k, v) -> sb.append(' ').append(k).append(':').append(v));
        return sb.toString();
    }

    /** One node as printed (without indentation). */
    public static String line(Node n) {
        StringBuilder sb = new StringBuilder();
        Value out = n.output();
        sb.append(ref(out)).append(" = ").append(n.op().mnemonic());
        if (!n.inputs().isEmpty()) {
            sb.append('(');
            for (int i = 0; i < n.inputs().size(); i++) sb.append(i == 0 ? "" : ", ").append(ref(n.input(i)));
            sb.append(')');
        }
        Map<String, Object> attrs = n.op() instanceof SourceOp.Constant c && c.type().shape().numel().constant() <= 8
                ? Op.attrsOf("values", constantValues(c)) : n.op().attrs();
        if (!attrs.isEmpty()) {
            sb.append(" {");
            boolean first = true;
            for (var e : attrs.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append('=').append(format(e.getValue()));
            }
            sb.append('}');
        }
        sb.append(" : ").append(out.type());
        if (out.name() != null && !(n.op() instanceof SourceOp.Weight)) sb.append("  # ").append(out.name());
        return sb.toString();
    }

    /** {@code @name} for weights, {@code %id} otherwise. Weights must be named (the builder enforces it). */
    public static String ref(Value v) {
        return v.isWeight() && v.name() != null ? "@" + v.name() : "%" + v.id();
    }

    private static String constantValues(SourceOp.Constant c) {
        long n = c.type().shape().numel().constant();
        DType t = c.type().dtype();
        StringBuilder sb = new StringBuilder("[");
        for (long i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(t.isFloatingPoint() ? formatFloat(SegmentReader.getDouble(t, c.data(), i)) : String.valueOf(SegmentReader.getLong(t, c.data(), i)));
        }
        return sb.append(']').toString();
    }

    static String format(Object o) {
        return switch (o) {
            case Float f -> formatFloat(f);
            case Double d -> formatFloat(d);
            case DType d -> TensorType.dtypeName(d);
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case List<?> l -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : ", ").append(format(l.get(i)));
                yield sb.append(']').toString();
            }
            case Shape s -> s.toString();
            default -> String.valueOf(o);
        };
    }

    /** Shortest round-trip text of a float, exponent as {@code e-05} (C printf style) when Java uses one. */
    static String formatFloat(double d) {
        String s = (d == (float) d) ? Float.toString((float) d) : Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
    }
}
