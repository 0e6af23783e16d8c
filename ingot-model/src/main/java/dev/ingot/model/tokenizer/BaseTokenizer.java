package dev.ingot.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What both tokenizer kinds share with llama.cpp's {@code llama_vocab}: the text-to-id map, splitting special
 * tokens out of the text before the model-specific algorithm runs, end-of-generation ids, and detokenization.
 */
abstract sealed class BaseTokenizer implements Tokenizer permits SpmTokenizer, BpeTokenizer {

    /** Token texts llama.cpp treats as end of generation (and forces to CONTROL) whatever the file says. */
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>",
            "<end_of_utterance>");
    /** Candidates for EOT when the file names none, in llama.cpp's order of preference. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");

    protected final Vocabulary vocab;
    protected final Map<String, Integer> ids;
    protected final TokenType[] types;
    private final int[] specials; // CONTROL, USER_DEFINED and UNKNOWN ids, longest text first
    private final Set<Integer> eog = new HashSet<>();
    private final int eot;
    private final byte[][] pieces; // token_to_piece(id, special = true), filled once (immutable afterwards)

    BaseTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        int n = vocab.size();
        ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) ids.put(vocab.tokens().get(i), i); // a duplicate text maps to its last id
        types = vocab.types().clone();
        int eotId = vocab.eot();
        if (eotId < 0) {
            for (String t : EOT_TEXTS) {
                Integer id = ids.get(t);
                if (id != null) {
                    eotId = id;
                    types[id] = TokenType.CONTROL;
                    break;
                }
            }
        }
        eot = eotId;
        for (String t : EOG_TEXTS) {
            Integer id = ids.get(t);
            if (id != null) {
                eog.add(id);
                types[id] = TokenType.CONTROL;
            }
        }
        for (int id : new int[] {vocab.eos(), eot, vocab.eom()}) if (id >= 0) eog.add(id);
        specials = java.util.stream.IntStream.range(0, n)
                .filter(i -> types[i] == TokenType.CONTROL || types[i] == TokenType.USER_DEFINED || types[i] == TokenType.UNKNOWN)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -utf8Length(vocab.tokens().get(i))))
                .mapToInt(Integer::intValue).toArray();
        pieces = new byte[n][];
    }

    /** Fills the piece table; subclasses call it last in their constructor (pieces depend on their fields). */
    final void computePieces() {
        for (int i = 0; i < pieces.length; i++) pieces[i] = computePiece(i);
    }

    /** Encodes one fragment of plain text (no special tokens in it) and appends its ids. */
    abstract void encodeText(String text, boolean afterSpecial, IntBuffer out);

    /** The piece of a NORMAL token as output bytes. */
    abstract byte[] normalPiece(String token);

    /** Whether the detokenizer removes a space before first token (SentencePiece's add_space_prefix). */
    abstract boolean stripsLeadingSpace();

    /** Whether the detokenizer applies llama.cpp's clean-up of spaces before punctuation. */
    abstract boolean cleanSpaces();

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntBuffer out = new IntBuffer(text.length() / 3 + 4);
        if (addSpecial && vocab.addBos() && vocab.bos() >= 0) out.add(vocab.bos());
        boolean afterSpecial = true;
        for (Object fragment : partition(text, parseSpecial)) {
            if (fragment instanceof Integer id) {
                out.add(id);
                afterSpecial = true;
            } else {
                encodeText((String) fragment, afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (addSpecial && vocab.addEos() && vocab.eos() >= 0) out.add(vocab.eos());
        return out.toArray();
    }

    /**
     * llama.cpp's {@code tokenizer_st_partition}: for each special token, longest first, splits every remaining
     * text fragment at its occurrences. Returns Strings (text) and Integers (token ids) in order.
     */
    List<Object> partition(String text, boolean parseSpecial) {
        List<Object> fragments = new ArrayList<>();
        if (!text.isEmpty()) fragments.add(text);
        for (int id : specials) {
            if (!parseSpecial && types[id] != TokenType.USER_DEFINED) continue;
            String special = vocab.tokens().get(id);
            if (special.isEmpty()) continue;
            for (int f = 0; f < fragments.size(); f++) {
                if (!(fragments.get(f) instanceof String s) || !s.contains(special)) continue;
                List<Object> parts = new ArrayList<>();
                int from = 0;
                for (int at; (at = s.indexOf(special, from)) >= 0; from = at + special.length()) {
                    if (at > from) parts.add(s.substring(from, at));
                    parts.add(id);
                }
                if (from < s.length()) parts.add(s.substring(from));
                fragments.remove(f);
                fragments.addAll(f, parts);
                f += parts.size() - 1;
            }
        }
        return fragments;
    }

    @Override
    public byte[] tokenBytes(int id) {
        checkId(id);
        return pieces[id].clone();
    }

    private byte[] computePiece(int id) {
        String text = vocab.tokens().get(id);
        return switch (types[id]) {
            case CONTROL, UNKNOWN, USER_DEFINED -> text.getBytes(StandardCharsets.UTF_8);
            case NORMAL -> normalPiece(text);
            case BYTE -> byteTokenPiece(text);
            default -> new byte[0]; // UNUSED and UNDEFINED render as nothing, as in llama.cpp
        };
    }

    byte[] byteTokenPiece(String text) {
        return normalPiece(text);
    }

    /** {@code token_to_piece(id, special)} with llama.cpp's {@code lstrip}: drop one leading space when asked. */
    byte[] piece(int id, boolean special, boolean lstrip) {
        if (!special && types[id].isSpecial()) return new byte[0];
        byte[] p = pieces[id]; // shared: callers only read it
        if (lstrip && p.length > 0 && p[0] == ' ') p = Arrays.copyOfRange(p, 1, p.length);
        return p;
    }

    @Override
    public String decode(int[] ids, boolean removeSpecial, boolean unparseSpecial) {
        return new String(decodeBytes(ids, removeSpecial, unparseSpecial), StandardCharsets.UTF_8);
    }

    /** llama.cpp's {@code detokenize} on bytes. */
    byte[] decodeBytes(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        int from = 0, to = tokens.length;
        boolean removeSpace = stripsLeadingSpace();
        if (removeSpecial && vocab.addBos() && to > 0 && tokens[0] == vocab.bos()) {
            removeSpace = false;
            from++;
        }
        if (removeSpecial && vocab.addEos() && to > from && tokens[to - 1] == vocab.eos()) to--;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            checkId(tokens[i]);
            out.writeBytes(piece(tokens[i], unparseSpecial, removeSpace));
            removeSpace = false;
        }
        byte[] bytes = out.toByteArray();
        return cleanSpaces() ? SpaceCleaner.clean(bytes) : bytes;
    }

    @Override
    public StreamingDecoder streamingDecoder(boolean skipSpecial, boolean removeLeadingSpace) {
        return new StreamingDecoder(this, !skipSpecial, removeLeadingSpace && stripsLeadingSpace());
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return vocab.tokens().get(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bos() {
        return vocab.bos();
    }

    @Override
    public int eos() {
        return vocab.eos();
    }

    @Override
    public OptionalInt eot() {
        return eot >= 0 ? OptionalInt.of(eot) : OptionalInt.empty();
    }

    @Override
    public boolean isEog(int id) {
        return eog.contains(id);
    }

    @Override
    public boolean addBos() {
        return vocab.addBos();
    }

    @Override
    public Vocabulary vocabulary() {
        return vocab;
    }

    @Override
    public TokenType tokenType(int id) {
        checkId(id);
        return types[id];
    }

    void checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocab.size() + ")");
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    /** A growable int array for token output. */
    static final class IntBuffer {
        private int[] a;
        private int n;

        IntBuffer(int capacity) {
            a = new int[Math.max(capacity, 8)];
        }

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
