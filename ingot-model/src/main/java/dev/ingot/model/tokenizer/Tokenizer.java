package dev.ingot.model.tokenizer;

import dev.ingot.model.gguf.GgufFile;
import java.util.OptionalInt;

/**
 * Text to token ids and back, matching llama.cpp's {@code llama_tokenize} / {@code llama_detokenize} exactly.
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /**
     * @param addSpecial   add BOS/EOS as the vocabulary asks ({@code tokenizer.ggml.add_bos_token/add_eos_token})
     * @param parseSpecial control and unknown tokens written in the text (e.g. {@code <|im_start|>}) become their
     *                     ids; user-defined tokens are always matched, as in llama.cpp
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The bytes this token contributes to output with special tokens rendered (byte tokens give their byte). */
    byte[] tokenBytes(int id);

    /**
     * Like {@code llama_detokenize}: concatenates the tokens' bytes and decodes them as UTF-8.
     *
     * @param removeSpecial   drop a leading BOS / trailing EOS when the vocabulary adds them
     * @param unparseSpecial  render control tokens as their text (otherwise they produce nothing)
     */
    String decode(int[] ids, boolean removeSpecial, boolean unparseSpecial);

    /** The vocabulary string of a token, e.g. "▁Hello" or "Ġworld". */
    String piece(int id);

    int vocabSize();

    /** The token's type as llama.cpp uses it (end-of-turn texts such as {@code <|im_end|>} count as CONTROL). */
    TokenType tokenType(int id);

    int bos();

    int eos();

    OptionalInt eot();

    /** End of generation: EOS, EOT, EOM and the end-of-turn tokens llama.cpp recognises by text. */
    boolean isEog(int id);

    boolean addBos();

    /**
     * A decoder for ids arriving one at a time whose concatenated output equals
     * {@code decode(ids, false, !skipSpecial)}; it never emits part of a UTF-8 character.
     */
    default StreamingDecoder streamingDecoder(boolean skipSpecial) {
        return streamingDecoder(skipSpecial, true);
    }

    /**
     * @param removeLeadingSpace drop the space SentencePiece puts before the first token (as {@link #decode} does);
     *                           pass false when the stream continues a prompt
     */
    StreamingDecoder streamingDecoder(boolean skipSpecial, boolean removeLeadingSpace);

    /** The vocabulary this tokenizer was built from. */
    Vocabulary vocabulary();

    static Tokenizer fromGguf(GgufFile f) {
        return of(Vocabulary.fromGguf(f));
    }

    static Tokenizer of(Vocabulary v) {
        return switch (v.model()) {
            case "llama" -> new SpmTokenizer(v);
            case "gpt2" -> new BpeTokenizer(v);
            default -> throw new IllegalArgumentException("unsupported tokenizer model '" + v.model() + "'");
        };
    }
}
