package dev.ingot.model.tokenizer.wordpiece;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked BERT (uncased) tokenizations on the real all-MiniLM-L6-v2 / bge-small-en-v1.5 tokenizer.json. */
class WordPieceTokenizerTest {
    private static final WordPieceTokenizer MINILM = TestTokenizers.load(TestTokenizers.MINILM);
    private static final WordPieceTokenizer BGE = TestTokenizers.load(TestTokenizers.BGE);

    @Test
    void helloWorldIsTheWellKnownBertEncoding() {
        Encoding e = MINILM.encode("Hello, world!");
        assertThat(e.ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(e.tokens()).containsExactly("[CLS]", "hello", ",", "world", "!", "[SEP]");
        assertThat(e.typeIds()).containsOnly(0);
        assertThat(e.attentionMask()).containsOnly(1);
        assertThat(BGE.encode("Hello, world!").ids()).containsExactly(e.ids());
    }

    @Test
    void wordsSplitIntoLongestFirstContinuationPieces() {
        assertThat(pieces("embeddings")).containsExactly("em", "##bed", "##ding", "##s");
        assertThat(MINILM.encode("embeddings").ids()).containsExactly(101, 7861, 8270, 4667, 2015, 102);
    }

    @Test
    void normalizerLowercasesStripsAccentsAndSpacesOutChineseCharacters() {
        assertThat(pieces("Café RÉSUMÉ")).containsExactly("cafe", "resume");
        assertThat(pieces("中文abc")).containsExactly("中", "文", "abc");
        // NUL and a format character (zero-width joiner) are dropped by clean_text; tab/newline are spaces
        assertThat(pieces("hel\u0000lo\u200d\tworld\n")).containsExactly("hello", "world");
    }

    @Test
    void punctuationIsIsolatedAndApostrophesSplit() {
        assertThat(pieces("I can't.")).containsExactly("i", "can", "'", "t", ".");
        assertThat(pieces("a$b")).containsExactly("a", "$", "b");
    }

    @Test
    void uncoverableAndOverlongWordsBecomeOneUnknown() {
        assertThat(pieces("😀")).containsExactly("[UNK]");
        assertThat(pieces("x".repeat(101))).containsExactly("[UNK]");
        assertThat(pieces("x".repeat(100))).doesNotContain("[UNK]");
    }

    @Test
    void addedTokensInTheTextAreKeptWhole() {
        assertThat(MINILM.encode("[MASK] is [UNK]").tokens()).containsExactly("[CLS]", "[MASK]", "is", "[UNK]", "[SEP]");
    }

    @Test
    void truncationLeavesRoomForTheSpecialTokens() {
        Encoding e = MINILM.encode("word ".repeat(300));
        assertThat(MINILM.maxLength()).hasValue(128);
        assertThat(e.length()).isEqualTo(128);
        assertThat(e.tokens().getLast()).isEqualTo("[SEP]");
        assertThat(BGE.maxLength()).isEmpty();
        assertThat(BGE.encode("word ".repeat(300)).length()).isEqualTo(302);
    }

    @Test
    void withoutTruncationTheFullLengthComesBack() {
        // what a server needs to refuse over-long input instead of embedding a silently cut text
        Encoding full = MINILM.encode("word ".repeat(300), false);
        assertThat(full.length()).isEqualTo(302);
        assertThat(full.tokens().getFirst()).isEqualTo("[CLS]");
        assertThat(full.tokens().getLast()).isEqualTo("[SEP]");
        assertThat(MINILM.encode("short text", false)).usingRecursiveComparison().isEqualTo(MINILM.encode("short text"));
    }

    @Test
    void paddingIsMaskedAndUsesThePadToken() {
        assertThat(MINILM.fixedPadding()).hasValue(128);
        assertThat(BGE.fixedPadding()).isEmpty();
        List<Encoding> batch = BGE.padToLongest(BGE.encodeBatch(List.of("hi", "hello there friend")));
        assertThat(batch.get(0).ids()).containsExactly(101, BGE.tokenId("hi").orElseThrow(), 102, 0, 0);
        assertThat(batch.get(0).attentionMask()).containsExactly(1, 1, 1, 0, 0);
        assertThat(batch.get(0).realLength()).isEqualTo(3);
        assertThat(batch.get(1).attentionMask()).containsOnly(1);
    }

    @Test
    void decodeJoinsContinuationsAndDropsSpecials() {
        assertThat(MINILM.decode(MINILM.encode("Hello, embeddings!").ids())).isEqualTo("hello, embeddings!");
    }

    @Test
    void bertProcessingAndAMissingNormalizerAreRead() throws Exception {
        String json = """
                {"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##",
                  "vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"Ab":3,"##c":4}},
                 "post_processor":{"type":"BertProcessing","sep":["[SEP]",2],"cls":["[CLS]",1]}}""";
        WordPieceTokenizer t = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        // no normalizer: case is kept, so "ab" is unknown
        assertThat(t.encode("Abc ab").ids()).containsExactly(1, 3, 4, 0, 2);
    }

    @Test
    void otherModelTypesAreRefused() {
        String json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}";
        assertThatThrownBy(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("expected WordPiece");
    }

    private static List<String> pieces(String text) {
        List<String> t = MINILM.encode(text).tokens();
        return t.subList(1, t.size() - 1);
    }
}
