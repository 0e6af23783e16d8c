package dev.ingot.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Special tokens, BOS handling, errors and speed, on the shared vocabularies. */
class TokenizerBehaviourTest {

    @Test
    void specialTokensInTextAreParsedOnlyWhenAsked() {
        Tokenizer qwen = TestVocabs.vocab("qwen2");
        int imStart = qwen.encode("<|im_start|>", false, true)[0];
        assertThat(qwen.piece(imStart)).isEqualTo("<|im_start|>");
        int[] parsed = qwen.encode("<|im_start|>user\nHi<|im_end|>", false, true);
        assertThat(parsed[0]).isEqualTo(imStart);
        assertThat(qwen.piece(parsed[parsed.length - 1])).isEqualTo("<|im_end|>");
        assertThat(qwen.isEog(parsed[parsed.length - 1])).isTrue();
        int[] literal = qwen.encode("<|im_start|>user\nHi<|im_end|>", false, false);
        assertThat(literal).doesNotContain(imStart).hasSizeGreaterThan(parsed.length);
        // Rendering: special tokens appear only with unparseSpecial
        assertThat(qwen.decode(parsed, false, true)).isEqualTo("<|im_start|>user\nHi<|im_end|>");
        assertThat(qwen.decode(parsed, false, false)).isEqualTo("user\nHi");
        assertThat(qwen.eot()).isPresent();
    }

    @Test
    void llama3PromptStartingWithBeginOfTextGetsTwoBos() {
        Tokenizer l3 = TestVocabs.vocab("llama-bpe");
        int[] ids = l3.encode("<|begin_of_text|>Hello", true, true);
        assertThat(ids).startsWith(128000, 128000);
        assertThat(l3.isEog(l3.encode("<|eot_id|>", false, true)[0])).isTrue();
        assertThat(l3.isEog(128001)).isTrue();
        assertThat(l3.isEog(9906)).isFalse();
    }

    @Test
    void spmPrefixesASpaceAfterEachSpecialTokenAndRemovesOneOnDecode() {
        Tokenizer spm = TestVocabs.vocab("llama-spm");
        int[] ids = spm.encode("<s>Hello</s>world", true, true);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(ids[1]).isEqualTo(1);
        assertThat(spm.piece(ids[2])).isEqualTo("▁Hello");
        assertThat(spm.piece(ids[4])).isEqualTo("▁world");
        assertThat(spm.decode(ids, false, true)).isEqualTo("<s><s> Hello</s> world");
        assertThat(spm.decode(ids, true, false)).isEqualTo(" Hello world"); // BOS removed: its space is kept
        int[] fallback = spm.encode("ꙮ", false, false); // not in the vocabulary: "▁" then 3 byte tokens
        assertThat(fallback).hasSize(4);
        assertThat(spm.piece(fallback[1])).isEqualTo("<0xEA>");
        assertThat(spm.tokenBytes(fallback[1])).containsExactly((byte) 0xEA);
        assertThat(spm.decode(fallback, false, true)).isEqualTo("ꙮ");
    }

    @Test
    void emptyTextGivesOnlyTheSpecialTokens() {
        assertThat(TestVocabs.vocab("llama-spm").encode("", true, true)).containsExactly(1);
        assertThat(TestVocabs.vocab("llama-spm").encode("", false, true)).isEmpty();
        assertThat(TestVocabs.vocab("qwen2").encode("", true, true)).isEmpty();
    }

    @Test
    void unknownPreTokenizerFailsWithTheSupportedList() {
        assertThatThrownBy(() -> PreTokenizer.forName("no-such-pre"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown pre-tokenizer type: 'no-such-pre'")
                .hasMessageContaining("qwen2");
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        Tokenizer tok = TestVocabs.vocab("gpt-2");
        assertThatThrownBy(() -> tok.decode(new int[] {50257}, false, true)).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> tok.piece(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void regexStageKeepsTextBetweenMatchesAsWords() {
        // Qwen2's expression splits digits one by one and keeps " ?" punctuation runs together
        List<String> words = PreTokenizer.forName("qwen2").split("ab 12 ,.\n\n  x");
        assertThat(words).containsExactly("ab", " ", "1", "2", " ,.\n\n", " ", " x");
        assertThat(PreTokenizer.forName("llama-bpe").split("12345 I'M")).containsExactly("123", "45", " I", "'M");
        assertThat(PreTokenizer.forName("smollm").split("a12 b")).containsExactly("a", "1", "2", " b");
    }

    @Test
    void encodingFourKilobytesTakesMilliseconds() {
        long seed = 20261124L;
        for (String v : List.of("llama-spm", "llama-bpe", "qwen2", "gpt-2")) {
            Tokenizer tok = TestVocabs.vocab(v);
            for (int i = 0; i < 5; i++) tok.encode(randomText(seed + 100 + i), true, true); // warm up the JIT
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                String text = randomText(seed + i); // fresh random words: the BPE word cache mostly misses
                long t0 = System.nanoTime();
                int[] ids = tok.encode(text, false, false);
                best = Math.min(best, System.nanoTime() - t0);
                assertThat(tok.decode(ids, false, true)).as("%s seed %d", v, seed + i).isEqualTo(text);
            }
            assertThat(best / 1e6).as("%s ms to encode 4 KB", v).isLessThan(50.0);
            System.out.printf("%s: 4 KB of random words encoded in %.2f ms (best of 5, seed %d)%n", v, best / 1e6, seed);
        }
    }

    @Test
    void pathologicalInputsStayFast() {
        // Long runs defeat word caches and stress regex backtracking and the merge queues.
        List<String> inputs = List.of(" ".repeat(4096), "x".repeat(4096), "7".repeat(4096), "\n \n".repeat(1365),
                "é".repeat(2048), "😀".repeat(1024), "<|im_start|>".repeat(340));
        for (String v : List.of("llama-spm", "llama-bpe", "qwen2", "gpt-2")) {
            Tokenizer tok = TestVocabs.vocab(v);
            for (String in : inputs) {
                tok.encode(in, false, true); // warm-up
                double best = Double.MAX_VALUE; // best of 3: the build machine is shared, single runs are noisy
                int[] ids = null;
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    ids = tok.encode(in + r, false, true); // a different last word each time: no cache hit
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                }
                assertThat(best).as("%s on %d x '%s'", v, in.length(), in.substring(0, Math.min(4, in.length()))).isLessThan(200.0);
                assertThat(tok.decode(ids, false, true)).isEqualTo(in + "2");
            }
        }
    }

    /** About 4 KB of words made of random letters (ASCII, accented, CJK) and digits. */
    static String randomText(long seed) {
        java.util.Random r = new java.util.Random(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyzéüñçテスト日本語0123456789";
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 4096) {
            int n = 1 + r.nextInt(9);
            for (int i = 0; i < n; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            sb.append(r.nextInt(10) == 0 ? ".\n" : " ");
        }
        return "x" + sb; // no leading space: SentencePiece decode would drop it
    }
}
