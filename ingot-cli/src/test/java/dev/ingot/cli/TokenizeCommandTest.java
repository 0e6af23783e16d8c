package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ingot tokenize} / {@code ingot detokenize} in-process against the golden tokenizer files of every
 * shared vocabulary. The SentencePiece vocabulary (fast to load) runs all 15 golden items; the large BPE
 * vocabularies run a few representative ones, since every CLI call loads the vocabulary anew.
 */
class TokenizeCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Items (by index in the golden files) for the BPE vocabularies: whitespace, CJK, emoji/ZWJ, contractions. */
    static final Set<Integer> BPE_ITEMS = Set.of(1, 6, 7);

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2"})
    void tokenizeAndDetokenizeMatchGolden(String vocab) throws IOException {
        String model = SharedData.model("vocab/ggml-vocab-" + vocab + ".gguf").toString();
        JsonNode items = JSON.readTree(SharedData.golden("tokenizer/" + vocab + ".json").toFile()).get("items");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < items.size(); i++) {
            if (!vocab.equals("llama-spm") && !BPE_ITEMS.contains(i)) continue;
            JsonNode item = items.get(i);
            String text = item.get("text").asText();
            Run r = run("tokenize", "-m", model, "--json", "--special", "--no-bos", text);
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode got = JSON.readTree(r.out());
            if (!got.get("ids").equals(item.get("ids"))) failures.add(i + " ids " + got.get("ids") + " vs " + item.get("ids"));
            if (!got.get("pieces").equals(item.get("token_texts"))) failures.add(i + " pieces " + got.get("pieces"));
            Run withBos = run("tokenize", "-m", model, "--json", "--special", text);
            if (!JSON.readTree(withBos.out()).get("ids").equals(item.get("ids_add_special"))) failures.add(i + " ids_add_special " + withBos.out());
            String ids = StreamSupport.stream(item.get("ids").spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(" "));
            Run detok = run("detokenize", "-m", model, "--json", ids);
            assertThat(detok.code()).as(detok.err()).isZero();
            String text2 = JSON.readTree(detok.out()).get("text").asText();
            if (!text2.equals(item.get("detokenized").asText())) failures.add(i + " detokenized '" + text2 + "'");
            checked++;
        }
        assertThat(failures).as("%s CLI mismatches", vocab).isEmpty();
        System.out.printf("%s: %d golden items through tokenize (with/without BOS) and detokenize%n", vocab, checked);
    }

    @Test
    void tablePrintsOneTokenPerLineWithEscapes() {
        String model = SharedData.model("vocab/ggml-vocab-llama-spm.gguf").toString();
        Run r = run("tokenize", "-m", model, "Hi\nthere");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).first().isEqualTo("1\t<s>\t<s>");
        assertThat(r.out()).contains("\t<0x0A>\t\\n\n").contains("\t▁Hi\t Hi\n").contains("\tthere\tthere\n");
        Run bytes = run("tokenize", "-m", SharedData.model("vocab/ggml-vocab-qwen2.gguf").toString(), "--no-bos", "Ü");
        assertThat(bytes.out()).isEqualTo("52491\tÃľ\tÜ\n");
        Run split = run("tokenize", "-m", SharedData.model("vocab/ggml-vocab-qwen2.gguf").toString(), "--no-bos", " テスト");
        assertThat(split.out()).isEqualTo("20711\tĠãĥ\t \\xe3\\x83\n228\tĨ\t\\x86\n70534\tãĤ¹ãĥĪ\tスト\n");
        Run plain = run("detokenize", "-m", model, "1,", "379", "29875"); // "<s>", "▁H", "i"
        assertThat(plain.out()).isEqualTo("<s> Hi\n");
        Run skip = run("detokenize", "-m", model, "--skip-special", "[1, 379, 29875]");
        assertThat(skip.out()).isEqualTo(" Hi\n");
    }

    @Test
    void specialTokensAreLiteralUnlessAsked() {
        String model = SharedData.model("vocab/ggml-vocab-qwen2.gguf").toString();
        Run literal = run("tokenize", "-m", model, "--json", "<|im_start|>");
        Run parsed = run("tokenize", "-m", model, "--json", "--special", "<|im_start|>");
        assertThat(literal.out()).doesNotContain("151644");
        assertThat(parsed.out()).isEqualTo("{\"ids\":[151644],\"pieces\":[\"<|im_start|>\"]}\n");
    }

    @Test
    void readsTextFromFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("in.txt");
        Files.writeString(f, "Hello world", StandardCharsets.UTF_8);
        String model = SharedData.model("vocab/ggml-vocab-llama-spm.gguf").toString();
        Run r = run("tokenize", "-m", model, "--json", "--no-bos", "--file", f.toString());
        assertThat(r.out()).isEqualTo("{\"ids\":[15043,3186],\"pieces\":[\"▁Hello\",\"▁world\"]}\n");
    }

    @Test
    void errorsAreOneClearLine() {
        Run missing = run("tokenize", "-m", "/no/such/model.gguf", "x");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("model file not found");
        String model = SharedData.model("vocab/ggml-vocab-llama-spm.gguf").toString();
        assertThat(run("tokenize", "-m", model).err()).contains("exactly one of TEXT or --file");
        assertThat(run("detokenize", "-m", model, "1", "abc").err()).contains("not a token id: 'abc'");
        assertThat(run("detokenize", "-m", model, "99999").err()).contains("outside the vocabulary");
    }
}
