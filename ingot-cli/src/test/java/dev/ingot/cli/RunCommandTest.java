package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.testkit.GoldenLogits;
import dev.ingot.testkit.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ingot run} and {@code ingot bench} in-process, on real model files. */
class RunCommandTest {
    record Result(int code, String out, String err) {}

    static Result ingot(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void greedyJsonMatchesLlamaCpp() throws Exception {
        GoldenLogits g = GoldenLogits.read(SharedData.golden("logits/stories260K__p1-once-upon-a-time.json"));
        Result r = ingot("run", "-m", SharedData.model("stories260K.gguf").toString(), "-p", g.prompt(), "-n", "24",
                "--temp", "0", "--ignore-eos", "--json", "-t", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("prompt_ids").traverse(new ObjectMapper()).readValueAs(int[].class)).containsExactly(g.promptIds());
        int[] ids = new ObjectMapper().treeToValue(j.get("ids"), int[].class);
        assertThat(ids).containsExactly(Arrays.copyOf(g.generatedIds(), 24));
        assertThat(j.get("finish_reason").asText()).isEqualTo("length");
        assertThat(j.get("text").asText()).startsWith(", there was a little girl");
    }

    @Test
    void streamsPromptAndContinuation() {
        Result r = ingot("run", "-m", SharedData.model("stories260K.gguf").toString(), "-p", "Once upon a time", "-n", "12", "--temp", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Once upon a time, there was a little girl");
    }

    @Test
    void invalidSamplerValueIsAClearError() {
        Result r = ingot("run", "-m", SharedData.model("stories260K.gguf").toString(), "-p", "hi", "--temp", "-1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("temperature");
    }

    @Test
    void missingTensorsAreAClearError() {
        // A vocabulary-only GGUF: valid file, llama architecture, no weights.
        Result r = ingot("run", "-m", SharedData.model("vocab/ggml-vocab-llama-spm.gguf").toString(), "-p", "hi");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("missing tensor 'token_embd.weight'");
    }

    @Test
    void missingModelFileIsAClearError() {
        Result r = ingot("run", "-m", "/nonexistent/model.gguf", "-p", "hi");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("/nonexistent/model.gguf");
    }

    @Test
    void promptLongerThanContextFails() {
        Result r = ingot("run", "-m", SharedData.model("stories260K.gguf").toString(), "-p", "Once upon a time ".repeat(40), "-c", "32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("does not fit the context");
    }

    @Test
    void benchPrintsThroughputAndRoofline() {
        Result r = ingot("bench", "-m", SharedData.model("stories260K.gguf").toString(), "-p", "16", "-n", "8", "-r", "1",
                "--bandwidth-mib", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| pp16").contains("| tg8").contains("memory bandwidth").contains("roofline");
    }
}
