package dev.ingot.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeding ids one at a time gives the same text as {@link Tokenizer#decode}, and no chunk ever ends or starts
 * inside a UTF-8 character (each chunk is valid UTF-16 with no replacement characters), including characters
 * split over SentencePiece byte-fallback tokens and GPT-2 byte tokens.
 */
class StreamingDecoderTest {
    static final List<String> TEXTS = List.of(
            "Hello, world! 1234 + 5678 = 6912. Ünïcödé テスト",
            "Emoji: 😀👍🏽🚀 and ❤️ 👨\u200d👩\u200d👧",
            "日本語のテキストとカタカナ、ひらがな。 你好，世界！",
            " leading space and  double  spaces , trailing . I 'm here ' quoted ' ",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \uD83E\uDD84 ꙮ");

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void streamEqualsDecodeAndNeverSplitsACharacter(String vocab) {
        Tokenizer tok = TestVocabs.vocab(vocab);
        for (String text : TEXTS) {
            for (boolean skipSpecial : new boolean[] {false, true}) {
                int[] ids = tok.encode(text, true, true);
                StreamingDecoder dec = tok.streamingDecoder(skipSpecial);
                StringBuilder sb = new StringBuilder();
                List<String> chunks = new ArrayList<>();
                for (int id : ids) {
                    String chunk = dec.push(id);
                    chunks.add(chunk);
                    sb.append(chunk);
                }
                String rest = dec.flush();
                sb.append(rest);
                assertThat(sb.toString()).as("%s skipSpecial=%s: %s", vocab, skipSpecial, text)
                        .isEqualTo(tok.decode(ids, false, !skipSpecial));
                for (String c : chunks) {
                    assertThat(c).as("chunk of %s", text).doesNotContain("\uFFFD");
                    if (!c.isEmpty()) {
                        assertThat(Character.isLowSurrogate(c.charAt(0))).isFalse();
                        assertThat(Character.isHighSurrogate(c.charAt(c.length() - 1))).isFalse();
                    }
                }
                assertThat(rest).doesNotContain("\uFFFD");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "qwen2"})
    void multiByteCharacterSplitAcrossTokensIsHeldUntilComplete(String vocab) {
        Tokenizer tok = TestVocabs.vocab(vocab);
        // The first of these that the vocabulary has no single token for (SPM: byte fallback; BPE: byte pieces).
        String ch = List.of("🚀", "ꙮ", "𝔘", "\uD83E\uDD84").stream()
                .filter(c -> tok.encode(c, false, false).length > 1).findFirst().orElseThrow();
        int[] ids = tok.encode(ch, false, false);
        StreamingDecoder dec = tok.streamingDecoder(false);
        for (int i = 0; i < ids.length - 1; i++) assertThat(dec.push(ids[i])).isEmpty();
        assertThat(dec.push(ids[ids.length - 1])).isEqualTo(tok.decode(ids, false, true)).endsWith(ch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm"})
    void continuationKeepsTheLeadingSpace(String vocab) {
        Tokenizer tok = TestVocabs.vocab(vocab);
        int[] ids = tok.encode("world", false, false); // "▁world"
        assertThat(tok.streamingDecoder(false).push(ids[0])).isEqualTo("world");
        assertThat(tok.streamingDecoder(false, false).push(ids[0])).isEqualTo(" world");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-2"})
    void cleanSpacesIsAppliedAcrossTokenBoundaries(String vocab) {
        Tokenizer tok = TestVocabs.vocab(vocab);
        int[] ids = tok.encode("Hi , you 're here .", false, false);
        assertThat(tok.decode(ids, false, true)).isEqualTo("Hi, you're here.");
        StreamingDecoder dec = tok.streamingDecoder(false);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(dec.push(id));
        assertThat(sb.append(dec.flush()).toString()).isEqualTo("Hi, you're here.");
    }
}
