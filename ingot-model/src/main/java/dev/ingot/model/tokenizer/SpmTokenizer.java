package dev.ingot.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}), as llama.cpp's {@code llm_tokenizer_spm}:
 * spaces become '▁' (with one prepended at the start of the text and after each special token when
 * {@code add_space_prefix}), then adjacent symbols merge greedily by the score of the merged token (ties: leftmost
 * first). A final symbol that is not a token falls back to its UTF-8 bytes as {@code <0xXX>} tokens.
 */
final class SpmTokenizer extends BaseTokenizer {
    private static final char SPACE = '\u2581';

    private final int[] byteTokens = new int[256];

    SpmTokenizer(Vocabulary vocab) {
        super(vocab);
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.format("<0x%02X>", b));
            if (id == null && b < 0x80) id = ids.get(String.valueOf((char) b)); // llama.cpp's fallback: the raw byte
            byteTokens[b] = id == null ? vocab.unk() : id;
        }
        computePieces();
    }

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntBuffer out) {
        String text = (vocab.addSpacePrefix() && afterSpecial ? " " : "") + fragment;
        text = text.replace(' ', SPACE);
        if (text.isEmpty()) return;

        // Symbols are UTF-16 ranges [start[i], start[i] + len[i]) of whole code points, linked in a list.
        int n = text.codePointCount(0, text.length());
        int[] start = new int[n], len = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0, off = 0; i < n; i++) {
            int c = Character.charCount(text.codePointAt(off));
            start[i] = off;
            len[i] = c;
            off += c;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Max-heap on score; equal scores merge the leftmost pair first (llama.cpp's comparator).
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> {
            int c = Float.compare(Float.intBitsToFloat((int) b[0]), Float.intBitsToFloat((int) a[0]));
            return c != 0 ? c : Long.compare(a[1], b[1]);
        });
        for (int i = 1; i < n; i++) tryAdd(text, start, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            long[] bigram = queue.poll(); // {scoreBits, left, right, size}
            int left = (int) bigram[1], right = (int) bigram[2];
            if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != bigram[3]) continue; // stale
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) tryAdd(text, start, len, prev[left], left, queue);
            if (next[left] >= 0) tryAdd(text, start, len, left, next[left], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String sym = text.substring(start[i], start[i] + len[i]);
            Integer id = ids.get(sym);
            if (id != null) {
                out.add(id);
            } else {
                for (byte b : sym.getBytes(StandardCharsets.UTF_8)) {
                    int t = byteTokens[b & 0xFF];
                    if (t < 0) throw new IllegalStateException("no byte-fallback token for byte " + (b & 0xFF));
                    out.add(t);
                }
            }
        }
    }

    private void tryAdd(String text, int[] start, int[] len, int left, int right, PriorityQueue<long[]> queue) {
        int size = len[left] + len[right];
        Integer id = ids.get(text.substring(start[left], start[left] + size));
        if (id == null) return;
        queue.add(new long[] {Float.floatToRawIntBits(vocab.score(id)), left, right, size});
    }

    @Override
    byte[] normalPiece(String token) {
        return token.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    byte[] byteTokenPiece(String text) {
        // "<0xE3>" -> the byte 0xE3
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    boolean stripsLeadingSpace() {
        return vocab.addSpacePrefix();
    }

    @Override
    boolean cleanSpaces() {
        return false;
    }
}
