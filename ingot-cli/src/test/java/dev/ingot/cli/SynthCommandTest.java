package dev.ingot.cli;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SynthCommandTest {

    @TempDir
    Path dir;

    @Test
    void presetWritesAReproducibleModel() throws IOException {
        Path a = dir.resolve("a.gguf"), b = dir.resolve("b.gguf");
        var r = QuantizeCommandTest.run("synth", "--preset", "tiny-qwen2", "--type", "q8_0", "--seed", "5", "-o", a.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("qwen2");
        QuantizeCommandTest.run("synth", "--preset", "tiny-qwen2", "--type", "q8_0", "--seed", "5", "--threads", "1", "-o", b.toString());
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        try (GgufFile f = GgufFile.open(a)) {
            assertThat(f.architecture()).isEqualTo("qwen2");
            assertThat(f.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(DType.Q8_0);
        }
    }

    @Test
    void dimsWithVocabFrom() throws IOException {
        Path out = dir.resolve("d.gguf");
        var r = QuantizeCommandTest.run("synth", "--arch", "llama", "--dims", "dim=64,layers=1,heads=4,kv_heads=1,ffn=128,ctx=128",
                "--vocab-from", SharedData.model("vocab/ggml-vocab-llama-bpe.gguf").toString(), "--type", "f16", "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("note: vocabulary size");
        try (GgufFile f = GgufFile.open(out)) {
            int n = f.stringArray("tokenizer.ggml.tokens").size();
            assertThat(f.tensor("token_embd.weight").orElseThrow().ne()).containsExactly(64, n);
            assertThat(f.string("tokenizer.ggml.model")).contains("gpt2");
        }
    }

    @Test
    void usageErrors() {
        var r = QuantizeCommandTest.run("synth", "--preset", "tiny-llama", "--dims", "dim=1", "-o", dir.resolve("x.gguf").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("exactly one of --preset or --dims");
        var list = QuantizeCommandTest.run("synth", "--list-presets");
        assertThat(list.out()).contains("llama-3.2-1b").contains("qwen2.5-0.5b").contains("llama2-110m");
    }
}
