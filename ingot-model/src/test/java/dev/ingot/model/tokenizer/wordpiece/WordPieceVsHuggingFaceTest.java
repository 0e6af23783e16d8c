package dev.ingot.model.tokenizer.wordpiece;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Hugging Face's Rust {@code tokenizers} (DJL's bundled native build) on the same
 * tokenizer.json: fixed tricky texts plus seeded random strings over an alphabet of ASCII, accents, combining marks,
 * CJK, Hangul, emoji, control and odd whitespace characters.
 */
class WordPieceVsHuggingFaceTest {
    private static final long SEED = Long.getLong("ingot.seed", 20261124L);

    private static final String[] ALPHABET = {
        "a", "b", "e", "s", "t", "in", "ing", "the", "hello", "world", "un", "able", " ", " ", "  ", "\t", "\n",
        "\r\n", ".", ",", "!", "?", "'", "\"", "-", "(", ")", "$", "+", "=", "<", "^", "`", "|", "~", "[", "]",
        "é", "Ü", "ñ", "ç", "e\u0301", "ß", "İ", "Σ", "ΣΑΣ", "ﬁ", "中", "文", "日本", "한국어", "カタカナ", "😀", "👍🏽",
        "\u0000", "\u0007", "\u200b", "\u200d", "\u00a0", "\u3000", "\u2028", "\ufffd", "\ue000", "\u00ad",
        "[CLS]", "[MASK]", "[SEP]", "A", "HELLO", "0", "42", "3.14", "ℝ", "½", "—", "…", "«", "»", "¿", "¡",
    };

    @Test
    void idsTypeIdsAndMaskMatchTheReferenceLibrary() throws Exception {
        List<String> texts = new ArrayList<>(List.of(
                "Hello, world!", "", "   ", "The quick brown fox jumps over the lazy dog.",
                "Ünïcödé text: naïve café, résumé; Ægir's fjörð.", "東京は日本の首都です。", "Emoji 😀🚀 and symbols ©®™",
                "don't won't I'm y'all", "e-mail: someone@example.com, https://example.com/path?q=1&x=2",
                "Supercalifragilisticexpialidocious antidisestablishmentarianism", "x".repeat(150)));
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(1, 25);
            for (int j = 0; j < n; j++) sb.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
            texts.add(sb.toString());
        }
        for (String res : List.of(TestTokenizers.MINILM, TestTokenizers.BGE)) {
            WordPieceTokenizer ours = TestTokenizers.load(res);
            // padding off so lengths compare directly; truncation stays as the file says
            try (InputStream in = TestTokenizers.open(res);
                 HuggingFaceTokenizer ref = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"))) {
                for (String t : texts) {
                    ai.djl.huggingface.tokenizers.Encoding want = ref.encode(t);
                    Encoding got = ours.encode(t);
                    String what = "[seed] " + SEED + " " + res + " text " + escape(t);
                    assertThat(toLong(got.ids())).as(what + " tokens " + got.tokens() + " vs " + Arrays.toString(want.getTokens()))
                            .containsExactly(want.getIds());
                    assertThat(toLong(got.typeIds())).as(what).containsExactly(want.getTypeIds());
                    assertThat(toLong(got.attentionMask())).as(what).containsExactly(want.getAttentionMask());
                }
            }
        }
    }

    private static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7e) sb.append(String.format("\\u{%x}", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.append('"').toString();
    }
}
