package dev.ingot.cli;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ingot quantize} end to end: the output must hold llama-quantize's bytes for the same weights. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"q8_0, Q8_0, 7", "q4_0, Q4_0, 2", "q6_k, Q6_K, 18", "f16, F16, 1", "q4_k_m, Q4_K_M, 15"})
    void f32ToTypeMatchesLlamaQuantizeFile(String type, String file, int ftype) throws IOException {
        Path out = dir.resolve("out.gguf");
        Run r = run("quantize", SharedData.model("tiny-llama-spm-F32.gguf").toString(), out.toString(), type, "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote");
        assertThat(r.err().lines().filter(l -> l.startsWith("quantize:")).count()).as("progress lines when not a terminal").isLessThanOrEqualTo(4);
        try (GgufFile ours = GgufFile.open(out); GgufFile ref = GgufFile.open(SharedData.model("tiny-llama-spm-" + file + ".gguf"))) {
            assertThat(ours.integer("general.file_type").getAsLong()).isEqualTo(ftype);
            assertThat(ours.stringArray("tokenizer.ggml.tokens")).isEqualTo(ref.stringArray("tokenizer.ggml.tokens"));
            assertThat(ours.tensors()).hasSameSizeAs(ref.tensors());
            for (GgufTensorInfo t : ref.tensors()) {
                GgufTensorInfo o = ours.tensor(t.name()).orElseThrow();
                assertThat(o.type()).as(t.name()).isEqualTo(t.type());
                assertThat(o.ne()).as(t.name()).isEqualTo(t.ne());
                byte[] a = ours.data(o).toArray(ValueLayout.JAVA_BYTE), b = ref.data(t).toArray(ValueLayout.JAVA_BYTE);
                assertThat(java.util.Arrays.mismatch(a, b)).as("%s first differing byte", t.name()).isEqualTo(-1);
            }
        }
    }

    @Test
    void kQuantFallsBackForShortRowsAndRequantisesQuantisedInput() throws IOException {
        // stories260K: dim 64, rows of 64 cannot hold 256-element super-blocks
        Path out = dir.resolve("s.gguf");
        Run r = run("quantize", SharedData.model("stories260K.gguf").toString(), out.toString(), "q4_k", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("not a multiple of 256: stored as Q5_0");
        try (GgufFile f = GgufFile.open(out)) {
            // ffn_down rows are 172 long (hidden dim of stories260K): not even a multiple of 32 -> F16
            for (GgufTensorInfo t : f.tensors()) {
                if (t.ne().length == 2) {
                    assertThat(t.type()).as(t.name()).isEqualTo(t.ne()[0] % 32 == 0 ? DType.Q5_0 : DType.F16);
                }
            }
            assertThat(f.tensor("blk.0.ffn_down.weight").orElseThrow().type()).isEqualTo(DType.F16);
            assertThat(f.tensors().stream().filter(t -> t.ne().length == 1).map(GgufTensorInfo::type)).containsOnly(DType.F32);
        }
        Path again = dir.resolve("again.gguf");
        Run r2 = run("quantize", SharedData.model("tiny-llama-spm-Q8_0.gguf").toString(), again.toString(), "q4_0");
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(r2.err()).contains("already quantised");
    }

    @Test
    void nonFiniteWeightsAreRejectedAndNoOutputRemains() throws IOException {
        Path in = dir.resolve("nan.gguf"), out = dir.resolve("nan-q8.gguf");
        float[] w = new float[2 * 32];
        w[40] = Float.NaN;
        new dev.ingot.model.gguf.GgufWriter().put("general.architecture", "llama")
                .addTensor("blk.0.attn_q.weight", DType.F32, new long[] {32, 2}, java.lang.foreign.MemorySegment.ofArray(toBytes(w)))
                .write(in);
        Run r = run("quantize", in.toString(), out.toString(), "q8_0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("blk.0.attn_q.weight row 1 element 8 is NaN");
        assertThat(Files.exists(out)).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("temp files left").isEmpty();
        }
    }

    static byte[] toBytes(float[] w) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * w.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : w) b.putFloat(v);
        return b.array();
    }

    @Test
    void badTypeFailsCleanlyAndLeavesNoFile() {
        Path out = dir.resolve("bad.gguf");
        Run r = run("quantize", SharedData.model("stories260K.gguf").toString(), out.toString(), "q9_9");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown type 'q9_9'").contains("q8_0");
        assertThat(Files.exists(out)).isFalse();
    }
}
