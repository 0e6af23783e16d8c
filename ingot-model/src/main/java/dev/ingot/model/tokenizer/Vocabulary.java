package dev.ingot.model.tokenizer;

import dev.ingot.model.gguf.GgufFile;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Plain data of a tokenizer as stored under {@code tokenizer.ggml.*} in a GGUF file, with llama.cpp's defaults
 * applied for keys the file leaves out. {@code merges} is empty for SentencePiece vocabularies; {@code scores} is
 * empty for byte-level BPE ones. Special ids are -1 when absent.
 *
 * @param model          {@code tokenizer.ggml.model}: "llama" (SentencePiece BPE) or "gpt2" (byte-level BPE)
 * @param pre            {@code tokenizer.ggml.pre}: the pre-tokenizer name ("default" when missing)
 * @param addSpacePrefix SentencePiece: prepend a space to the text (and drop it again on decode)
 */
public record Vocabulary(
        String model,
        String pre,
        List<String> tokens,
        float[] scores,
        TokenType[] types,
        List<String> merges,
        int bos, int eos, int eot, int eom, int unk, int pad,
        boolean addBos, boolean addEos, boolean addSpacePrefix) {

    public Vocabulary {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pre, "pre");
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        if (types.length != tokens.size()) {
            throw new IllegalArgumentException("token_type has " + types.length + " entries for " + tokens.size() + " tokens");
        }
        if (scores.length != 0 && scores.length != tokens.size()) {
            throw new IllegalArgumentException("scores has " + scores.length + " entries for " + tokens.size() + " tokens");
        }
    }

    public int size() {
        return tokens.size();
    }

    public TokenType type(int id) {
        return types[id];
    }

    public float score(int id) {
        return scores.length == 0 ? 0f : scores[id];
    }

    /** Reads the vocabulary of a GGUF file, applying llama.cpp's per-model and per-pre-tokenizer defaults. */
    public static Vocabulary fromGguf(GgufFile f) {
        String model = f.string("tokenizer.ggml.model").orElseThrow(
                () -> new IllegalArgumentException(f.path() + ": no tokenizer (missing tokenizer.ggml.model)"));
        List<String> tokens = f.stringArray("tokenizer.ggml.tokens");
        if (tokens.isEmpty()) throw new IllegalArgumentException(f.path() + ": missing tokenizer.ggml.tokens");
        int n = tokens.size();
        float[] scores = f.floatArray("tokenizer.ggml.scores");
        int[] typeCodes = f.intArray("tokenizer.ggml.token_type");
        TokenType[] types = new TokenType[n];
        for (int i = 0; i < n; i++) types[i] = typeCodes == null ? TokenType.NORMAL : TokenType.of(typeCodes[i]);
        String pre = f.string("tokenizer.ggml.pre").orElse("default");

        // Defaults as in llama.cpp's llama_vocab::load: SPM <s>=1 </s>=2 <unk>=0 with BOS; GPT-2 BPE uses id 11
        // for both and adds BOS only for the pre-tokenizers that llama.cpp lists (Llama 3 family).
        Defaults d = switch (model) {
            case "llama" -> new Defaults(1, 2, 0, true, true);
            case "gpt2" -> new Defaults(11, 11, -1, PreTokenizer.defaultAddBos(pre), false);
            default -> throw new IllegalArgumentException(f.path() + ": unsupported tokenizer model '" + model
                    + "' (supported: llama, gpt2)");
        };
        return new Vocabulary(model, pre, tokens,
                scores == null ? new float[0] : scores, types,
                model.equals("gpt2") ? f.stringArray("tokenizer.ggml.merges") : List.of(),
                id(f, "tokenizer.ggml.bos_token_id", n, d.bos),
                id(f, "tokenizer.ggml.eos_token_id", n, d.eos),
                id(f, "tokenizer.ggml.eot_token_id", n, -1),
                id(f, "tokenizer.ggml.eom_token_id", n, -1),
                id(f, "tokenizer.ggml.unknown_token_id", n, d.unk),
                id(f, "tokenizer.ggml.padding_token_id", n, -1),
                f.bool("tokenizer.ggml.add_bos_token").orElse(d.addBos),
                f.bool("tokenizer.ggml.add_eos_token").orElse(false),
                f.bool("tokenizer.ggml.add_space_prefix").orElse(d.spacePrefix));
    }

    private record Defaults(int bos, int eos, int unk, boolean addBos, boolean spacePrefix) {}

    // Ids are stored as uint32 with 0xFFFFFFFF meaning "none"; anything outside the vocabulary counts as absent.
    private static int id(GgufFile f, String key, int n, int fallback) {
        OptionalLong v = f.integer(key);
        if (v.isEmpty()) return fallback;
        long id = v.getAsLong();
        return id >= 0 && id < n ? (int) id : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && model.equals(v.model) && pre.equals(v.pre) && tokens.equals(v.tokens)
                && Arrays.equals(scores, v.scores) && Arrays.equals(types, v.types) && merges.equals(v.merges)
                && bos == v.bos && eos == v.eos && eot == v.eot && eom == v.eom && unk == v.unk && pad == v.pad
                && addBos == v.addBos && addEos == v.addEos && addSpacePrefix == v.addSpacePrefix;
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, pre, tokens, merges, bos, eos);
    }

    @Override
    public String toString() {
        return "Vocabulary[model=" + model + ", pre=" + pre + ", size=" + tokens.size() + ", merges=" + merges.size()
                + ", bos=" + bos + ", eos=" + eos + ", addBos=" + addBos + ", addEos=" + addEos + "]";
    }
}
