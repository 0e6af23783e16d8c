package dev.ingot.ir;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.ReduceOp.ReduceKind;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rebuilds ops from their printed mnemonic and attributes (the inverse of {@link Op#attrs()} printing). */
final class OpText {
    private OpText() {}

    /** Raw attribute text by name, e.g. {@code eps -> "1e-05"}, {@code axes -> "[0, 1]"}. */
    record Attrs(String mnemonic, Map<String, String> raw) {
        String get(String k) {
            String v = raw.get(k);
            if (v == null) throw new IllegalArgumentException(mnemonic + ": missing attribute '" + k + "' (have " + raw.keySet() + ")");
            return v;
        }

        int integer(String k) { return Integer.parseInt(get(k)); }

        float real(String k) { return Float.parseFloat(get(k)); }

        boolean bool(String k) { return Boolean.parseBoolean(get(k)); }

        Shape shape(String k) { return Shape.parse(get(k)); }

        List<Long> longs(String k) {
            String v = get(k).trim();
            if (!v.startsWith("[") || !v.endsWith("]")) throw new IllegalArgumentException(mnemonic + ": attribute " + k + " is not a list: " + v);
            List<Long> out = new ArrayList<>();
            String body = v.substring(1, v.length() - 1).trim();
            if (!body.isEmpty()) for (String p : body.split(",")) out.add(Long.parseLong(p.trim()));
            return out;
        }

        List<Integer> ints(String k) { return longs(k).stream().map(Math::toIntExact).toList(); }
    }

    /**
     * The op for a non-source mnemonic.
     *
     * @throws IllegalArgumentException for an unknown mnemonic or malformed attributes
     */
    static Op op(Attrs a) {
        String m = a.mnemonic();
        for (UnaryKind k : UnaryKind.values()) if (lower(k).equals(m)) return new ElementwiseOp.Unary(k);
        for (BinaryKind k : BinaryKind.values()) if (lower(k).equals(m)) return new ElementwiseOp.Binary(k);
        for (ReduceKind k : ReduceKind.values()) {
            if (("reduce_" + lower(k)).equals(m)) return new ReduceOp.Reduce(k, a.ints("axes"), a.bool("keep_dims"));
        }
        return switch (m) {
            case "where" -> new ElementwiseOp.Where();
            case "cast" -> new ElementwiseOp.Cast(dtype(a.get("to")));
            case "reshape" -> new ShapeOp.Reshape(a.shape("to"));
            case "transpose" -> new ShapeOp.Transpose(a.ints("perm"));
            case "slice" -> new ShapeOp.Slice(a.longs("starts"), a.longs("ends"), a.ints("axes"), a.longs("steps"));
            case "concat" -> new ShapeOp.Concat(a.integer("axis"));
            case "gather" -> new ShapeOp.Gather(a.integer("axis"));
            case "expand" -> new ShapeOp.Expand(a.shape("to"));
            case "squeeze" -> new ShapeOp.Squeeze(a.ints("axes"));
            case "unsqueeze" -> new ShapeOp.Unsqueeze(a.ints("axes"));
            case "shape_of" -> new ShapeOp.ShapeOf();
            case "arg_max" -> new ReduceOp.ArgMax(a.integer("axis"), a.bool("keep_dims"));
            case "softmax" -> new ReduceOp.Softmax(a.integer("axis"));
            case "matmul" -> new LinalgOp.MatMul();
            case "linear" -> new LinalgOp.Linear();
            case "embedding" -> new LlmOp.Embedding();
            case "rms_norm" -> new LlmOp.RmsNorm(a.real("eps"));
            case "layer_norm" -> new LlmOp.LayerNorm(a.real("eps"));
            case "rope" -> new LlmOp.Rope(LlmOp.RopeMode.valueOf(a.get("mode").toUpperCase(Locale.ROOT)), a.integer("rot_dim"), a.real("base"));
            case "kv_write" -> new LlmOp.KvWrite();
            case "paged_attention" -> new LlmOp.PagedAttention(a.real("scale"));
            case "attention" -> new LlmOp.Attention(a.real("scale"), a.bool("causal"));
            default -> throw new IllegalArgumentException("unknown op '" + m + "'");
        };
    }

    /** A constant from its printed values (only constants of at most 8 elements print them). */
    static SourceOp.Constant constant(TensorType t, Attrs a) {
        if (!a.raw().containsKey("values")) {
            throw new IllegalArgumentException("constant " + t + " was printed without its values (more than 8 elements); it cannot be parsed back");
        }
        String v = a.get("values").trim();
        String[] parts = v.substring(1, v.length() - 1).split(",");
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) SourceOp.byteSize(t)]);
        int n = (int) t.shape().numel().constant();
        if (parts.length != n && !(n == 0 && parts[0].isBlank())) throw new IllegalArgumentException("constant " + t + " has " + parts.length + " values");
        for (int i = 0; i < n; i++) {
            String p = parts[i].trim();
            SegmentReader.put(t.dtype(), seg, i, t.dtype().isFloatingPoint() ? Double.parseDouble(p) : Long.parseLong(p));
        }
        return new SourceOp.Constant(t, seg);
    }

    static DType dtype(String name) {
        try {
            return DType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dtype '" + name + "'", e);
        }
    }

    private static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }
}
