package dev.ingot.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ingot.testkit.SharedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden tokenizer files ({@code golden/tokenizer/*.json}, made with llama.cpp c392e509) and the prompts of
 * the golden logits files: ids with and without special-token parsing and with BOS/EOS, detokenized text,
 * vocabulary strings and end-of-generation flags must all match exactly.
 */
class GoldenTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void goldenVocabularyFile(String vocab) {
        JsonNode g = TestVocabs.json(SharedData.golden("tokenizer/" + vocab + ".json"));
        Tokenizer tok = TestVocabs.vocab(vocab);
        assertThat(tok.vocabSize()).isEqualTo(g.get("n_vocab").asInt());
        assertThat(tok.addBos()).isEqualTo(g.get("add_bos").asBoolean());
        assertThat(tok.vocabulary().addEos()).isEqualTo(g.get("add_eos").asBoolean());
        assertThat(tok.bos()).isEqualTo(g.get("bos_id").asInt());
        assertThat(tok.eos()).isEqualTo(g.get("eos_id").asInt());

        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode item : g.get("items")) {
            String text = item.get("text").asText();
            int[] ids = TestVocabs.ints(item.get("ids"));
            check(failures, text, "ids", ids, tok.encode(text, false, true));
            check(failures, text, "ids_no_parse_special", TestVocabs.ints(item.get("ids_no_parse_special")), tok.encode(text, false, false));
            check(failures, text, "ids_add_special", TestVocabs.ints(item.get("ids_add_special")), tok.encode(text, true, true));
            List<String> texts = StreamSupport.stream(item.get("token_texts").spliterator(), false).map(JsonNode::asText).toList();
            List<String> pieces = Arrays.stream(ids).mapToObj(tok::piece).toList();
            if (!texts.equals(pieces)) failures.add(text + ": token_texts " + texts + " vs " + pieces);
            String detok = tok.decode(ids, false, true);
            if (!detok.equals(item.get("detokenized").asText())) failures.add(text + ": detokenized '" + detok + "'");
            n++;
        }
        assertThat(failures).as("%s golden mismatches", vocab).isEmpty();
        System.out.printf("%s: %d/%d golden items match (3 id vectors, pieces, detokenized each)%n", vocab, n, n);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "stories260K__p1-once-upon-a-time.json",
            "stories260K__p2-lily-and-ben-went-to-the-park-they.json",
            "tiny-llama-spm-Q8_0__p1-the-quick-brown-fox-jumps-over-the-lazy-.json",
            "tiny-llama3-bpe-Q8_0__p1-hello-world-1234-5678-6912-n-c-d.json",
            "tiny-qwen2-Q8_0__p1-hello-world-1234-5678-6912-n-c-d.json"})
    void goldenPromptsAndGenerations(String file) {
        JsonNode g = TestVocabs.json(SharedData.golden("logits/" + file));
        Tokenizer tok = TestVocabs.model(g.get("model_file").asText());
        assertThat(tok.addBos()).isEqualTo(g.get("add_bos").asBoolean());
        int[] prompt = TestVocabs.ints(g.get("prompt_token_ids"));
        assertThat(tok.encode(g.get("prompt").asText(), true, true)).as(file).containsExactly(prompt);
        List<String> promptTexts = Arrays.stream(prompt).mapToObj(tok::piece).toList();
        assertThat(promptTexts).containsExactlyElementsOf(texts(g.get("prompt_token_texts")));

        JsonNode gen = g.get("generation");
        int[] ids = TestVocabs.ints(gen.get("ids"));
        assertThat(tok.decode(ids, false, true)).isEqualTo(gen.get("detokenized").asText());
        // "text" is the plain concatenation of pieces with special tokens rendered (no space removal)
        StringBuilder hex = new StringBuilder();
        for (int id : ids) for (byte b : tok.tokenBytes(id)) hex.append(String.format("%02x", b & 0xFF));
        assertThat(hex.toString()).isEqualTo(gen.get("text_bytes_hex").asText());
        for (int i = 0; i < ids.length; i++) {
            assertThat(tok.isEog(ids[i])).as("is_eog of step %d (id %d)", i, ids[i]).isEqualTo(gen.get("is_eog").get(i).asBoolean());
        }
    }

    @Test
    void allSixLlamaSpmModelsTokenizeTheirPromptAlike() {
        for (String q : new String[] {"F32", "F16", "Q8_0", "Q4_0", "Q6_K", "Q4_K_M"}) {
            JsonNode g = TestVocabs.json(SharedData.golden("logits/tiny-llama-spm-" + q + "__p1-the-quick-brown-fox-jumps-over-the-lazy-.json"));
            Tokenizer tok = TestVocabs.model(g.get("model_file").asText());
            assertThat(tok.encode(g.get("prompt").asText(), true, true)).as(q).containsExactly(TestVocabs.ints(g.get("prompt_token_ids")));
            assertThat(tok.decode(TestVocabs.ints(g.get("generation").get("ids")), false, true))
                    .as(q).isEqualTo(g.get("generation").get("detokenized").asText());
        }
    }

    private static List<String> texts(JsonNode a) {
        return StreamSupport.stream(a.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static void check(List<String> failures, String text, String what, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            failures.add(LlamaCppVectorsTest.escape(text) + " " + what + "\n   expected " + Arrays.toString(expected)
                    + "\n   actual   " + Arrays.toString(actual));
        }
    }
}
