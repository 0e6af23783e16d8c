package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out, String err) {}

    @TempDir Path dir;

    static Result inspect(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] full = Stream.concat(Stream.of("inspect"), Stream.of(args)).toArray(String[]::new);
        int code = cl.execute(full);
        return new Result(code, out.toString(), err.toString());
    }

    static JsonNode inspectJson(Path file) throws IOException {
        Result r = inspect(file.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    static Stream<Path> allModels() throws IOException {
        Path models = SharedData.require("models");
        try (Stream<Path> s = Stream.concat(Files.list(models), Files.list(models.resolve("vocab")))) {
            return s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("allModels")
    void textAndJsonAgreeWithTheFile(Path file) throws IOException {
        Result text = inspect(file.toString());
        assertThat(text.code()).as(text.err()).isZero();
        JsonNode j = inspectJson(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(j.get("version").asInt()).isEqualTo(g.version());
            assertThat(j.get("architecture").asText()).isEqualTo(g.architecture());
            assertThat(j.get("tensor_count").asInt()).isEqualTo(g.tensors().size());
            assertThat(j.get("tensors")).hasSize(g.tensors().size());
            long total = g.tensors().stream().mapToLong(t -> t.bytes()).sum();
            assertThat(j.get("total_bytes").asLong()).isEqualTo(total);
            assertThat(text.out()).contains("architecture:  " + g.architecture())
                    .contains("tensors: " + g.tensors().size() + ", ");
            for (var t : g.tensors()) assertThat(text.out()).contains(t.name());
            if (g.tensors().isEmpty()) {
                assertThat(j.has("hyperparameters")).isFalse();
                assertThat(text.out()).contains("hyper-parameters: not available (vocabulary-only file");
            } else {
                assertThat(j.get("hyperparameters").get("block_count").asInt()).isPositive();
            }
            // Long arrays are abbreviated, never dumped.
            assertThat(text.out().length()).isLessThan(20_000);
            assertThat(j.get("tokenizer").get("vocab_size").asInt()).isEqualTo(g.stringArray("tokenizer.ggml.tokens").size());
        }
    }

    static Stream<Path> goldenFiles() throws IOException {
        try (Stream<Path> a = Files.list(SharedData.golden("logits")); Stream<Path> b = Files.list(SharedData.golden("tokenizer"))) {
            return Stream.concat(a, b).filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** n_vocab, BOS/EOS ids and add_bos as llama.cpp reported them (golden data) for the same file. */
    @ParameterizedTest
    @MethodSource("goldenFiles")
    void tokenizerFactsMatchGolden(Path golden) throws IOException {
        JsonNode g = JSON.readTree(golden.toFile());
        Path model = g.has("model_file") ? SharedData.model(g.get("model_file").asText())
                : SharedData.model("vocab/" + g.get("vocab_file").asText());
        JsonNode j = inspectJson(model);
        JsonNode tok = j.get("tokenizer");
        assertThat(tok.get("vocab_size").asInt()).isEqualTo(g.get("n_vocab").asInt());
        assertThat(tok.get("bos_id").asInt()).isEqualTo(g.get("bos_id").asInt());
        assertThat(tok.get("eos_id").asInt()).isEqualTo(g.get("eos_id").asInt());
        assertThat(tok.get("add_bos").asBoolean()).isEqualTo(g.get("add_bos").asBoolean());
        if (g.has("rope_type")) {
            assertThat(j.get("hyperparameters").get("rope_type").asText()).isEqualTo(g.get("rope_type").asText());
            assertThat(j.get("hyperparameters").get("vocab_size").asInt()).isEqualTo(g.get("n_vocab").asInt());
        }
    }

    @Test
    void stories260kText() {
        Result r = inspect(SharedData.model("stories260K.gguf").toString());
        assertThat(r.out()).contains("format:        GGUF v3 (alignment 32)")
                .containsPattern("embedding_dim\\s+64")
                .containsPattern("head_count_kv\\s+4")
                .containsPattern("tied_embeddings\\s+false")
                .containsPattern("add_bos\\s+true")
                .contains("tensors: 48, ")
                .containsPattern("token_embd.weight\\s+F32\\s+\\[512, 64\\]\\s+131072")
                .contains("tokenizer.ggml.scores = [FLOAT32 x 512: 0.0, 0.0");
    }

    @Test
    void errorsAreOneClearLine() throws IOException {
        Result missing = inspect(dir.resolve("nope.gguf").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ingot inspect: error: ").contains("nope.gguf").hasLineCount(1);
        Path bad = Files.writeString(dir.resolve("bad.gguf"), "hello, world, not a model");
        Result corrupt = inspect(bad.toString());
        assertThat(corrupt.code()).isEqualTo(1);
        assertThat(corrupt.err()).startsWith("ingot inspect: error: " + bad + ": bad magic").hasLineCount(1);
    }

    @Test
    void safetensorsCheckpointDirectory() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"model.embed_tokens.weight\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]},"
                + "\"model.layers.0.self_attn.q_proj.weight\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[32,40]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 40).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(dir.resolve("model.safetensors"), b.array());
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 2, "intermediate_size": 4, "num_hidden_layers": 1,
                 "num_attention_heads": 1, "vocab_size": 4, "tie_word_embeddings": true}""");
        Result r = inspect(dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("format:        safetensors (model.safetensors)").contains("architecture:  qwen2")
                .containsPattern("model.layers.0.self_attn.q_proj.weight\\s+BF16\\s+\\[2, 2\\]\\s+8\\s+blk.0.attn_q.weight");
        JsonNode j = inspectJson(dir);
        assertThat(j.get("hyperparameters").get("rope_type").asText()).isEqualTo("neox");
        assertThat(j.get("metadata").get("format").asText()).isEqualTo("pt");
        assertThat(j.get("parameter_count").asLong()).isEqualTo(12);
        assertThat(List.of(j.get("tensors").get(0).get("gguf_name").asText())).containsExactly("token_embd.weight");
    }
}
