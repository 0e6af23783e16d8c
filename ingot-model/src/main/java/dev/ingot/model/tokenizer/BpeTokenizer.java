package dev.ingot.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}), as llama.cpp's {@code llm_tokenizer_bpe}: the
 * pre-tokenizer splits the text into words, each word's UTF-8 bytes are mapped to GPT-2's byte alphabet, then
 * adjacent symbols merge by merge rank (lowest first; ties: leftmost). Results are cached per word.
 */
final class BpeTokenizer extends BaseTokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final PreTokenizer pre;
    private final Map<String, Integer> ranks; // "left right" -> rank (its index in tokenizer.ggml.merges)
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(Vocabulary vocab) {
        super(vocab);
        pre = PreTokenizer.forName(vocab.pre());
        List<String> merges = vocab.merges();
        ranks = new HashMap<>(merges.size() * 2);
        for (int i = 0; i < merges.size(); i++) ranks.putIfAbsent(merges.get(i), i);
        computePieces();
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntBuffer out) {
        for (String word : pre.split(text)) {
            String mapped = ByteUnicode.encode(word.getBytes(StandardCharsets.UTF_8));
            int[] ids = cache.get(mapped);
            if (ids == null) {
                ids = encodeWord(mapped);
                if (cache.size() >= CACHE_LIMIT) cache.clear(); // bounded: long-running servers see endless words
                cache.put(mapped, ids);
            }
            for (int id : ids) out.add(id);
        }
    }

    /** BPE on one byte-mapped word (every char is one byte, so symbols are char ranges). */
    int[] encodeWord(String word) {
        IntBuffer out = new IntBuffer(word.length());
        if (pre.ignoreMerges) {
            Integer whole = ids.get(word);
            if (whole != null) {
                out.add(whole);
                return out.toArray();
            }
        }
        int n = word.length();
        int[] len = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // {rank, left, right, size}: min-heap on rank, then leftmost.
        PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
                : Integer.compare(a[1], b[1]));
        for (int i = 1; i < n; i++) tryAdd(word, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            int[] bigram = queue.poll();
            int left = bigram[1], right = bigram[2];
            // Symbols start where they started; both alive and the same total size means the same text.
            if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != bigram[3]) continue;
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) tryAdd(word, len, prev[left], left, queue);
            if (next[left] >= 0) tryAdd(word, len, left, next[left], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String sym = word.substring(i, i + len[i]);
            Integer id = ids.get(sym);
            if (id != null) {
                out.add(id);
            } else {
                // llama.cpp: a symbol that is no token is emitted char by char where those are tokens
                for (int j = 0; j < sym.length(); j++) {
                    Integer c = ids.get(String.valueOf(sym.charAt(j)));
                    if (c != null) out.add(c);
                }
            }
        }
        return out.toArray();
    }

    private void tryAdd(String word, int[] len, int left, int right, PriorityQueue<int[]> queue) {
        String key = word.substring(left, left + len[left]) + ' ' + word.substring(right, right + len[right]);
        Integer rank = ranks.get(key);
        if (rank != null) queue.add(new int[] {rank, left, right, len[left] + len[right]});
    }

    @Override
    byte[] normalPiece(String token) {
        // Fast path: every char is in the byte alphabet (all tokens of a well-formed vocabulary).
        byte[] fast = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = ByteUnicode.decode(token.charAt(i));
            if (b < 0) return slowPiece(token);
            fast[i] = (byte) b;
        }
        return fast;
    }

    private static byte[] slowPiece(String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            int b = ByteUnicode.decode(cp);
            if (b >= 0) {
                out.write(b);
            } else { // llama_decode_text's marker for a char outside the byte alphabet
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                StringBuilder sb = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : utf8) sb.append(String.format("%02x", u & 0xFF));
                out.writeBytes(sb.append(token).append(']').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Override
    boolean stripsLeadingSpace() {
        return vocab.addSpacePrefix(); // false unless the file says otherwise; llama.cpp applies it on decode only
    }

    @Override
    boolean cleanSpaces() {
        return pre.cleanSpaces;
    }
}
