package dev.ingot.ir;

import dev.ingot.ir.shape.Shape;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses the {@link Printer}'s text back into a verified graph, so tests can state graphs as text and printed
 * graphs round-trip. Weights get their bytes from a resolver (by name); every parsed type is checked against the
 * type the op infers. Constants parse only when printed with their values (at most 8 elements).
 */
public final class GraphParser {
    private GraphParser() {}

    /** Parses with weights resolved by {@code weights}; it must return a segment large enough for the type. */
    public static Graph parse(String text, Function<String, MemorySegment> weights) {
        GraphBuilder b = new GraphBuilder();
        Map<String, Value> refs = new HashMap<>();
        String[] lines = text.strip().split("\n");
        if (lines.length < 2 || !lines[0].strip().equals("graph {") || !lines[lines.length - 1].strip().equals("}")) {
            throw new IllegalArgumentException("expected 'graph { ... }'");
        }
        boolean returned = false;
        for (int ln = 1; ln < lines.length - 1; ln++) {
            String line = lines[ln].strip();
            if (line.isEmpty()) continue;
            try {
                if (line.startsWith("return")) {
                    for (String r : splitTop(line.substring("return".length()), ',')) b.output(ref(refs, r.strip()));
                    returned = true;
                } else {
                    parseNode(line, b, refs, weights);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (ln + 1) + ": " + e.getMessage() + "\n  " + line, e);
            }
        }
        if (!returned) throw new IllegalArgumentException("graph has no 'return' line");
        return b.build();
    }

    private static void parseNode(String line, GraphBuilder b, Map<String, Value> refs, Function<String, MemorySegment> weights) {
        // LHS = mnemonic[(operands)] [{attrs}] : type [# name]
        int eq = line.indexOf(" = ");
        String lhs = line.substring(0, eq).strip();
        String rest = line.substring(eq + 3);
        String name = null;
        int hash = rest.lastIndexOf("  # ");
        if (hash >= 0) {
            name = rest.substring(hash + 4);
            rest = rest.substring(0, hash);
        }
        int colon = rest.lastIndexOf(" : ");
        TensorType type = parseType(rest.substring(colon + 3).strip());
        rest = rest.substring(0, colon).strip();
        Map<String, String> attrs = new LinkedHashMap<>();
        int brace = rest.indexOf(" {");
        if (brace >= 0) {
            for (String kv : splitTop(rest.substring(brace + 2, rest.lastIndexOf('}')), ',')) {
                int e = kv.indexOf('=');
                attrs.put(kv.substring(0, e).strip(), kv.substring(e + 1).strip());
            }
            rest = rest.substring(0, brace);
        }
        List<Value> inputs = new ArrayList<>();
        int paren = rest.indexOf('(');
        String mnemonic = paren < 0 ? rest.strip() : rest.substring(0, paren).strip();
        if (paren >= 0) for (String r : splitTop(rest.substring(paren + 1, rest.lastIndexOf(')')), ',')) inputs.add(ref(refs, r.strip()));
        OpText.Attrs a = new OpText.Attrs(mnemonic, attrs);
        Value v = switch (mnemonic) {
            case "input" -> b.input(name, type);
            case "weight" -> {
                String wname = lhs.substring(1);
                MemorySegment seg = weights.apply(wname);
                if (seg == null) throw new IllegalArgumentException("no data for weight '" + wname + "'");
                yield b.weight(wname, type.dtype(), type.shape(), seg);
            }
            case "constant" -> b.op(OpText.constant(type, a), List.of(), name);
            case "iota" -> b.iota(type, a.integer("axis"), name);
            default -> b.op(OpText.op(a), inputs, name);
        };
        if (!v.type().equals(type)) throw new IllegalArgumentException(mnemonic + " infers " + v.type() + " but the text says " + type);
        refs.put(lhs, v);
    }

    /** {@code f32[T, 256]}. */
    static TensorType parseType(String s) {
        int br = s.indexOf('[');
        if (br < 0) throw new IllegalArgumentException("bad type '" + s + "'");
        return new TensorType(OpText.dtype(s.substring(0, br)), Shape.parse(s.substring(br)));
    }

    private static Value ref(Map<String, Value> refs, String r) {
        Value v = refs.get(r);
        if (v == null) throw new IllegalArgumentException("undefined value " + r);
        return v;
    }

    /** Splits at {@code sep} outside brackets, parentheses and quotes. */
    static List<String> splitTop(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') quoted = !quoted;
            else if (!quoted && (c == '[' || c == '(' || c == '{')) depth++;
            else if (!quoted && (c == ']' || c == ')' || c == '}')) depth--;
            else if (!quoted && depth == 0 && c == sep) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank() || !out.isEmpty()) out.add(s.substring(start));
        return out;
    }
}
