package dev.ingot.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before byte-level BPE, selected by {@code tokenizer.ggml.pre} exactly as llama.cpp's
 * {@code llama_vocab::impl::load} and {@code unicode_regex_split} do: a list of stages, each splitting every
 * word of the previous stage further (a match never crosses a word boundary; text between matches stays a word).
 * The GPT-2 and Llama-3 expressions run as hand-written scanners ported from llama.cpp's custom splitters
 * (their behaviour, not the regex engine's, is the reference); the others run on {@code java.util.regex} with
 * {@code \s}/{@code \S} rewritten to Unicode White_Space as llama.cpp's collapsed-text fallback matches it.
 */
final class PreTokenizer {

    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    // Expressions from llama.cpp's llm_tokenizer_bpe, by pre-tokenizer family.
    static final String GPT4O = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?"
            + "|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+"
            + "|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** One pre-tokenizer family: its stages and llama.cpp's flags for it. */
    private record Family(List<String> exprs, boolean ignoreMerges, boolean cleanSpaces, boolean addBos) {}

    private static final Map<String, Family> FAMILIES = new TreeMap<>();

    private static void family(Family f, String... names) {
        for (String n : names) FAMILIES.put(n, f);
    }

    static {
        family(new Family(List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), false, true, false), "default", "");
        family(new Family(List.of(LLAMA3), true, true, true), "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral");
        family(new Family(List.of(LLAMA3), false, true, false), "dbrx", "smaug-bpe");
        family(new Family(List.of(GPT2), false, true, false), "gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "gigachat",
                "jina-v2-es", "jina-v2-de", "exaone4");
        family(new Family(List.of(QWEN2), false, false, false), "qwen2", "deepseek-r1-qwen");
        family(new Family(List.of(QWEN2), false, true, false), "megrez", "stablelm2");
        family(new Family(List.of("\\p{N}", GPT2), false, true, false), "starcoder", "refact", "codeshell", "exaone", "minerva-7b");
        family(new Family(List.of("\\p{N}", GPT2), false, false, false), "smollm", "command-r");
        family(new Family(List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"), false, true, false), "falcon");
        family(new Family(List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+", "\\p{N}"),
                false, false, false), "deepseek-coder");
        family(new Family(List.of(GPT4O), false, false, false), "gpt-4o", "llama4");
        family(new Family(List.of(TEKKEN), true, false, true), "tekken");
    }

    private final String name;
    private final List<Stage> stages;
    final boolean ignoreMerges;
    final boolean cleanSpaces;

    private PreTokenizer(String name, List<Stage> stages, boolean ignoreMerges, boolean cleanSpaces) {
        this.name = name;
        this.stages = stages;
        this.ignoreMerges = ignoreMerges;
        this.cleanSpaces = cleanSpaces;
    }

    /** The pre-tokenizer llama.cpp uses for {@code pre}; unknown names fail with the list of supported ones. */
    static PreTokenizer forName(String pre) {
        Family f = FAMILIES.get(pre);
        if (f == null) {
            throw new IllegalArgumentException("unknown pre-tokenizer type: '" + pre + "' (supported: "
                    + String.join(", ", names()) + ")");
        }
        return new PreTokenizer(pre, f.exprs.stream().map(PreTokenizer::stage).toList(), f.ignoreMerges, f.cleanSpaces);
    }

    /** Every supported {@code tokenizer.ggml.pre} value. */
    static List<String> names() {
        return FAMILIES.keySet().stream().filter(n -> !n.isEmpty()).toList();
    }

    /** llama.cpp's default for {@code add_bos_token} when a byte-level BPE file does not store it. */
    static boolean defaultAddBos(String pre) {
        Family f = FAMILIES.get(pre);
        return f != null && f.addBos;
    }

    String name() {
        return name;
    }

    /** Splits {@code text} into words (not yet byte-mapped). */
    List<String> split(String text) {
        int[] cps = text.codePoints().toArray();
        int[] lengths = {cps.length};
        int n = cps.length == 0 ? 0 : 1;
        int[] charAt = new int[cps.length + 1]; // code point index -> char index
        for (int i = 0; i < cps.length; i++) charAt[i + 1] = charAt[i] + Character.charCount(cps[i]);
        for (Stage s : stages) {
            IntList out = new IntList(n * 2 + 8);
            int start = 0;
            for (int i = 0; i < n; i++) {
                s.split(text, cps, charAt, start, start + lengths[i], out);
                start += lengths[i];
            }
            lengths = out.values;
            n = out.size;
        }
        List<String> words = new ArrayList<>(n);
        int start = 0;
        for (int i = 0; i < n; i++) {
            words.add(text.substring(charAt[start], charAt[start + lengths[i]]));
            start += lengths[i];
        }
        return words;
    }

    /** One regex stage: appends the lengths (in code points) of the words of {@code [start, end)} to {@code out}. */
    interface Stage {
        void split(String text, int[] cps, int[] charAt, int start, int end, IntList out);
    }

    static Stage stage(String expr) {
        if (expr.equals(GPT2)) return CustomSplitters::gpt2;
        if (expr.equals(LLAMA3)) return CustomSplitters::llama3;
        return regex(expr);
    }

    static Stage regex(String llamaExpr) {
        Pattern p = Pattern.compile(toJava(llamaExpr));
        return (text, cps, charAt, start, end, out) -> {
            // Opaque region bounds: like std::regex on the sub-range, lookahead cannot see past the word.
            Matcher m = p.matcher(text).region(charAt[start], charAt[end]);
            int prev = start;
            while (m.find()) {
                int ms = cpIndex(charAt, start, end, m.start());
                int me = cpIndex(charAt, start, end, m.end());
                if (me == ms) continue; // empty matches contribute nothing
                if (ms > prev) out.add(ms - prev);
                out.add(me - ms);
                prev = me;
            }
            if (end > prev) out.add(end - prev);
        };
    }

    private static int cpIndex(int[] charAt, int start, int end, int charIndex) {
        int i = Arrays.binarySearch(charAt, start, end + 1, charIndex);
        if (i < 0) throw new IllegalStateException("regex match split a surrogate pair");
        return i;
    }

    /** Rewrites {@code \s} and {@code \S} to the White_Space set, inside and outside character classes. */
    static String toJava(String expr) {
        StringBuilder sb = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '\\' && i + 1 < expr.length()) {
                char d = expr.charAt(++i);
                if (d == 's') sb.append(inClass ? CodePoints.WHITESPACE_CLASS_BODY : "[" + CodePoints.WHITESPACE_CLASS_BODY + "]");
                else if (d == 'S' && !inClass) sb.append("[^").append(CodePoints.WHITESPACE_CLASS_BODY).append(']');
                else if (d == 'S') throw new IllegalArgumentException("\\S inside a class is not supported: " + expr);
                else sb.append(c).append(d);
                continue;
            }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            sb.append(c);
        }
        return sb.toString();
    }

    /** A growable int array. */
    static final class IntList {
        int[] values;
        int size;

        IntList(int capacity) {
            values = new int[Math.max(capacity, 4)];
        }

        void add(int v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }
    }
}
