package dev.ingot.model.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns token ids arriving one at a time into text. Bytes of a UTF-8 character split across tokens are held
 * until the character is complete, so every returned string is whole characters; the concatenation of all
 * {@link #push} results and {@link #flush} equals {@link Tokenizer#decode} of the same ids.
 * Vocabularies whose detokenizer cleans spaces (" ." to ".") hold back a few bytes, since the clean-up looks
 * two bytes ahead. Not thread-safe: one decoder per sequence.
 */
public final class StreamingDecoder {
    /** Bytes at the end of cleaned output that may still change when more text follows (3 passes x 3). */
    private static final int CLEAN_HOLDBACK = 9;

    private final BaseTokenizer tokenizer;
    private final boolean special;
    private final boolean clean;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private boolean removeSpace;
    private byte[] pending = new byte[64]; // raw pieces not yet emitted (all raw bytes when cleaning)
    private int size;
    private int emitted; // cleaning only: bytes of cleaned output already returned

    StreamingDecoder(BaseTokenizer tokenizer, boolean special, boolean removeLeadingSpace) {
        this.tokenizer = tokenizer;
        this.special = special;
        this.clean = tokenizer.cleanSpaces();
        this.removeSpace = removeLeadingSpace;
    }

    /** Adds one token; returns the text that became complete (possibly empty). */
    public String push(int id) {
        tokenizer.checkId(id);
        byte[] p = tokenizer.piece(id, special, removeSpace);
        removeSpace = false;
        append(p);
        return clean ? emitCleaned(false) : emitComplete(false);
    }

    /** Returns whatever is left, incomplete characters replaced by U+FFFD, and resets the decoder's buffer. */
    public String flush() {
        String s = clean ? emitCleaned(true) : emitComplete(true);
        size = 0;
        emitted = 0;
        return s;
    }

    private void append(byte[] p) {
        if (size + p.length > pending.length) pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + p.length));
        System.arraycopy(p, 0, pending, size, p.length);
        size += p.length;
    }

    private String emitComplete(boolean all) {
        int cut = all ? size : completePrefix(pending, 0, size);
        String s = decode(pending, 0, cut);
        System.arraycopy(pending, cut, pending, 0, size - cut);
        size -= cut;
        return s;
    }

    private String emitCleaned(boolean all) {
        byte[] cleaned = SpaceCleaner.clean(Arrays.copyOf(pending, size));
        int stable = all ? cleaned.length : Math.max(emitted, cleaned.length - CLEAN_HOLDBACK);
        int cut = all ? stable : completePrefix(cleaned, emitted, stable);
        String s = decode(cleaned, emitted, cut);
        emitted = cut;
        return s;
    }

    /** The end of the longest prefix of {@code b[from, to)} that ends on a UTF-8 character boundary. */
    static int completePrefix(byte[] b, int from, int to) {
        // Walk back over at most 3 continuation bytes to the lead byte of the last character.
        int i = to - 1;
        int back = 0;
        while (i >= from && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < from) return to; // only continuation bytes: malformed anyway, let the decoder replace them
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return to - i >= need ? to : i;
    }

    private String decode(byte[] b, int from, int to) {
        if (to <= from) return "";
        try {
            CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(b, from, to - from));
            return cb.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e); // unreachable: REPLACE never throws
        }
    }
}
