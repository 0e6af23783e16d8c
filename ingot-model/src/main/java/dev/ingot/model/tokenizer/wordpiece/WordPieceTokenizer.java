package dev.ingot.model.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A WordPiece tokenizer built from a Hugging Face {@code tokenizer.json} ({@code model.type = WordPiece}); see the
 * package documentation for the pipeline. Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    private final Map<String, Integer> vocab;
    private final String[] pieces;
    private final int unkId;
    private final String prefix;
    private final int maxCharsPerWord;
    private final BertNormalizer normalizer;
    /** Added tokens matched literally in the raw text, longest first so "[MASK]x" cannot match a shorter one. */
    private final List<String> addedTokens;
    private final Set<Integer> specialIds;
    private final PostProcessor post;
    private final Integer truncateTo;
    private final boolean truncateLeft;
    private final Integer fixedPadding;
    private final int padId;
    private final int padTypeId;
    private final String padToken;

    private WordPieceTokenizer(JsonNode root) {
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IllegalArgumentException("tokenizer.json: model.type is " + model.path("type") + ", expected WordPiece");
        }
        vocab = new HashMap<>();
        model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        List<String> added = new ArrayList<>();
        Set<Integer> special = new java.util.HashSet<>();
        for (JsonNode t : root.path("added_tokens")) {
            vocab.put(t.path("content").asText(), t.path("id").asInt());
            added.add(t.path("content").asText());
            if (t.path("special").asBoolean()) special.add(t.path("id").asInt());
        }
        int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        pieces = new String[max + 1];
        vocab.forEach((k, v) -> pieces[v] = k);
        String unk = model.path("unk_token").asText("[UNK]");
        if (!vocab.containsKey(unk)) throw new IllegalArgumentException("tokenizer.json: unk_token " + unk + " not in vocab");
        unkId = vocab.get(unk);
        prefix = model.path("continuing_subword_prefix").asText("##");
        maxCharsPerWord = model.path("max_input_chars_per_word").asInt(100);
        normalizer = normalizer(root.path("normalizer"));
        String pre = root.path("pre_tokenizer").path("type").asText("BertPreTokenizer");
        if (!pre.equals("BertPreTokenizer")) throw new IllegalArgumentException("tokenizer.json: unsupported pre_tokenizer " + pre);
        added.sort(Comparator.comparingInt(String::length).reversed());
        addedTokens = List.copyOf(added);
        specialIds = Set.copyOf(special);
        post = PostProcessor.parse(root.path("post_processor"), vocab);
        JsonNode trunc = root.path("truncation");
        truncateTo = trunc.isObject() ? trunc.path("max_length").asInt() : null;
        truncateLeft = trunc.isObject() && "Left".equals(trunc.path("direction").asText());
        JsonNode pad = root.path("padding");
        fixedPadding = pad.isObject() && pad.path("strategy").has("Fixed") ? pad.path("strategy").path("Fixed").asInt() : null;
        padId = pad.isObject() ? pad.path("pad_id").asInt(0) : vocab.getOrDefault("[PAD]", 0);
        padTypeId = pad.isObject() ? pad.path("pad_type_id").asInt(0) : 0;
        padToken = pad.isObject() ? pad.path("pad_token").asText("[PAD]") : "[PAD]";
    }

    public static WordPieceTokenizer fromJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in);
        }
    }

    public static WordPieceTokenizer fromJson(InputStream in) throws IOException {
        return new WordPieceTokenizer(new ObjectMapper().readTree(in));
    }

    private static BertNormalizer normalizer(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return new BertNormalizer(false, false, false, false);
        if (!"BertNormalizer".equals(n.path("type").asText())) {
            throw new IllegalArgumentException("tokenizer.json: unsupported normalizer " + n.path("type"));
        }
        boolean lower = n.path("lowercase").asBoolean(true);
        // strip_accents null means "as lowercase" in the library
        boolean strip = n.path("strip_accents").isBoolean() ? n.path("strip_accents").asBoolean() : lower;
        return new BertNormalizer(n.path("clean_text").asBoolean(true), n.path("handle_chinese_chars").asBoolean(true), strip, lower);
    }

    /** Encodes one text: special tokens added, truncated to the file's {@code max_length}, not padded. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    /**
     * Encodes one text with special tokens, not padded; truncated to the file's {@code max_length} only when
     * {@code truncate} (a server that must reject over-long input, as OpenAI's API does, needs the full length).
     */
    public Encoding encode(String text, boolean truncate) {
        List<Integer> ids = new ArrayList<>();
        for (String frag : splitAdded(text)) {
            Integer addedId = addedTokens.contains(frag) ? vocab.get(frag) : null;
            if (addedId != null) {
                ids.add(addedId);
                continue;
            }
            for (String word : BertPreTokenizer.split(normalizer.normalize(frag))) wordPiece(word, ids);
        }
        int[] content = ids.stream().mapToInt(Integer::intValue).toArray();
        if (truncate && truncateTo != null) {
            int room = Math.max(0, truncateTo - post.added());
            if (content.length > room) {
                content = truncateLeft ? Arrays.copyOfRange(content, content.length - room, content.length) : Arrays.copyOf(content, room);
            }
        }
        return post.apply(content, this::piece);
    }

    public List<Encoding> encodeBatch(List<String> texts) {
        return texts.stream().map(this::encode).toList();
    }

    /** Pads every encoding on the right to {@code length} (at least its own length) with the file's pad token. */
    public List<Encoding> pad(List<Encoding> batch, int length) {
        List<Encoding> out = new ArrayList<>(batch.size());
        for (Encoding e : batch) {
            int n = Math.max(length, e.length());
            int[] ids = Arrays.copyOf(e.ids(), n);
            int[] types = Arrays.copyOf(e.typeIds(), n);
            int[] mask = Arrays.copyOf(e.attentionMask(), n);
            List<String> toks = new ArrayList<>(e.tokens());
            for (int i = e.length(); i < n; i++) {
                ids[i] = padId;
                types[i] = padTypeId;
                toks.add(padToken);
            }
            out.add(new Encoding(ids, types, mask, toks));
        }
        return out;
    }

    /** Pads to the longest encoding of the batch. */
    public List<Encoding> padToLongest(List<Encoding> batch) {
        return pad(batch, batch.stream().mapToInt(Encoding::length).max().orElse(0));
    }

    /** The file's {@code padding.strategy.Fixed} length, if it fixes one. */
    public OptionalInt fixedPadding() { return fixedPadding == null ? OptionalInt.empty() : OptionalInt.of(fixedPadding); }

    /** The file's {@code truncation.max_length}, if it truncates. */
    public OptionalInt maxLength() { return truncateTo == null ? OptionalInt.empty() : OptionalInt.of(truncateTo); }

    /** Text of the ids without special tokens, continuation pieces joined and spaces before punctuation removed. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (specialIds.contains(id)) continue;
            String p = piece(id);
            if (p.startsWith(prefix)) sb.append(p, prefix.length(), p.length());
            else {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(p);
            }
        }
        // the library's WordPiece decoder cleanup: no space before these, and the split contractions rejoined
        return sb.toString().replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    public String piece(int id) {
        return id >= 0 && id < pieces.length && pieces[id] != null ? pieces[id] : pieces[unkId];
    }

    public OptionalInt tokenId(String piece) {
        Integer id = vocab.get(piece);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public int vocabSize() { return pieces.length; }

    /** Splits out added tokens written in the text, longest first at each position; other text stays as it is. */
    private List<String> splitAdded(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String tok : addedTokens) {
                if (text.startsWith(tok, i)) {
                    if (i > start) out.add(text.substring(start, i));
                    out.add(tok);
                    i += tok.length();
                    start = i;
                    continue outer;
                }
            }
            i++;
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    /** Greedy longest-match-first over the word's code points; an uncoverable or overlong word is one [UNK]. */
    private void wordPiece(String word, List<Integer> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxCharsPerWord) {
            out.add(unkId);
            return;
        }
        List<Integer> sub = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int end = cps.length;
            Integer found = null;
            while (start < end) {
                String s = new String(cps, start, end - start);
                if (start > 0) s = prefix + s;
                found = vocab.get(s);
                if (found != null) break;
                end--;
            }
            if (found == null) {
                out.add(unkId);
                return;
            }
            sub.add(found);
            start = end;
        }
        out.addAll(sub);
    }
}
