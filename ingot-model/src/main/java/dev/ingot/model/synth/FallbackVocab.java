package dev.ingot.model.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in vocabulary of synthetic models without {@code --vocab-from}: a SentencePiece-style
 * ({@code tokenizer.ggml.model = "llama"}) vocabulary whose only real pieces are the 256 bytes and the
 * word-boundary piece U+2581, so any text tokenizes (one token per UTF-8 byte, one per space) and decodes
 * back to itself (the U+2581 piece must be a normal token: llama.cpp turns it back into a space only in
 * normal tokens' text, never in byte tokens).
 * <pre>
 * id 0          &lt;unk&gt;        type 2 (unknown)
 * id 1          &lt;s&gt;          type 3 (control, BOS)
 * id 2          &lt;/s&gt;         type 3 (control, EOS)
 * id 3..258     &lt;0x00&gt;..&lt;0xFF&gt;  type 6 (byte)
 * id 259        U+2581 (space)  type 1 (normal)
 * id 260..V-1   &lt;synth_N&gt;    type 5 (unused filler so token_embd has the preset's row count)
 * </pre>
 * Scores are 0 (no merges exist to rank).
 */
public final class FallbackVocab {
    private FallbackVocab() {}

    public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, UNUSED = 5, BYTE = 6;

    public static List<String> tokens(int vocab) {
        if (vocab < 260) throw new IllegalArgumentException("the byte-level fallback vocabulary needs vocab >= 260, got " + vocab);
        List<String> t = new ArrayList<>(vocab);
        t.add("<unk>");
        t.add("<s>");
        t.add("</s>");
        for (int b = 0; b < 256; b++) t.add(String.format("<0x%02X>", b));
        t.add("\u2581");
        for (int i = t.size(); i < vocab; i++) t.add("<synth_" + i + ">");
        return t;
    }

    public static int[] tokenTypes(int vocab) {
        int[] types = new int[vocab];
        types[0] = UNKNOWN;
        types[1] = CONTROL;
        types[2] = CONTROL;
        for (int i = 3; i < vocab; i++) types[i] = i < 259 ? BYTE : i == 259 ? NORMAL : UNUSED;
        return types;
    }
}
