package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.tensor.DType;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GgufFileTest {

    /** Every GGUF file in shared/models and shared/models/vocab. */
    static Stream<Path> allFiles() throws IOException {
        Path models = SharedData.require("models");
        try (Stream<Path> s = Stream.concat(Files.list(models), Files.list(models.resolve("vocab")))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(12);
            return files.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("allFiles")
    void opensEveryFileAndTensorsTileTheDataSection(Path file) throws IOException {
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isIn(2, 3);
            assertThat(g.alignment()).isEqualTo(32);
            assertThat(g.architecture()).isIn("llama", "qwen2", "gpt2");
            assertThat(g.stringArray("tokenizer.ggml.tokens")).isNotEmpty();
            // Tensors, sorted by offset, lie inside the file in order without overlap, each aligned.
            List<GgufTensorInfo> sorted = g.tensors().stream().sorted(Comparator.comparingLong(GgufTensorInfo::offset)).toList();
            long end = g.dataOffset();
            for (GgufTensorInfo t : sorted) {
                assertThat(t.offset()).isGreaterThanOrEqualTo(end);
                assertThat((t.offset() - g.dataOffset()) % g.alignment()).isZero();
                assertThat(t.bytes()).isEqualTo(t.type().rowBytes(t.ne()[0]) * t.elements() / t.ne()[0]);
                assertThat(g.data(t).byteSize()).isEqualTo(t.bytes());
                end = t.offset() + t.bytes();
            }
            // Vocab-only files have no tensors (and need no padding before the empty data section).
            if (!sorted.isEmpty()) assertThat(end).isLessThanOrEqualTo(g.fileSize());
        }
    }

    @Test
    void stories260kHeaderAndValues() throws IOException {
        try (GgufFile g = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            assertThat(g.architecture()).isEqualTo("llama");
            assertThat(g.integer("llama.embedding_length")).hasValue(64);
            assertThat(g.integer("llama.block_count")).hasValue(5);
            assertThat(g.integer("llama.attention.head_count")).hasValue(8);
            assertThat(g.integer("llama.attention.head_count_kv")).hasValue(4);
            assertThat(g.stringArray("tokenizer.ggml.tokens")).hasSize(512);
            assertThat(g.floatArray("tokenizer.ggml.scores")).hasSize(512);
            assertThat(g.intArray("tokenizer.ggml.token_type")).hasSize(512);
            assertThat(g.metadata()).containsKey("general.architecture");
            assertThat(g.tensor("output.weight")).isPresent();
            GgufTensorInfo emb = g.tensor("token_embd.weight").orElseThrow();
            assertThat(emb.type()).isEqualTo(DType.F32);
            assertThat(emb.ne()).containsExactly(64, 512);
            assertThat(emb.shape()).containsExactly(512, 64);
            assertThat(emb.elements()).isEqualTo(64 * 512);
            // Embedding values of a trained model are small finite numbers, not garbage from a wrong offset.
            MemorySegment d = g.data(emb);
            double sumSq = 0;
            for (long i = 0; i < emb.elements(); i++) {
                float v = d.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4 * i);
                assertThat(v).isFinite();
                sumSq += v * v;
            }
            double rms = Math.sqrt(sumSq / emb.elements());
            assertThat(rms).isBetween(1e-3, 10.0);
            assertThat(d.isReadOnly()).isTrue();
        }
    }

    @Test
    void q4KMixedFileHasDocumentedTypes() throws IOException {
        try (GgufFile g = GgufFile.open(SharedData.model("tiny-llama-spm-Q4_K_M.gguf"))) {
            assertThat(g.tensor("token_embd.weight").orElseThrow().type()).isEqualTo(DType.Q6_K);
            assertThat(g.tensor("blk.1.attn_v.weight").orElseThrow().type()).isEqualTo(DType.Q6_K);
            assertThat(g.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(DType.Q4_K);
            assertThat(g.tensor("blk.0.attn_norm.weight").orElseThrow().type()).isEqualTo(DType.F32);
            assertThat(g.tensor("output.weight")).isEmpty();
        }
    }

    @Test
    void qwen2HasBiasesAndBigVocabulary() throws IOException {
        try (GgufFile g = GgufFile.open(SharedData.model("tiny-qwen2-Q8_0.gguf"))) {
            assertThat(g.architecture()).isEqualTo("qwen2");
            assertThat(g.stringArray("tokenizer.ggml.tokens")).hasSize(151936);
            assertThat(g.stringArray("tokenizer.ggml.merges")).isNotEmpty();
            assertThat(g.tensor("blk.0.attn_q.bias").orElseThrow().ne()).containsExactly(128);
            assertThat(g.bool("tokenizer.ggml.add_bos_token")).hasValue(false);
            assertThat(g.valueType("general.architecture")).hasValue(GgufValueType.STRING);
        }
    }

    /** GGUF v2 has the same layout as v3 (v3 only added big-endian files); a v2 header must read the same. */
    @Test
    void readsVersion2(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] b = Files.readAllBytes(SharedData.model("stories260K.gguf"));
        b[4] = 2;
        Path v2 = Files.write(dir.resolve("v2.gguf"), b);
        try (GgufFile a = GgufFile.open(v2); GgufFile ref = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            assertThat(a.version()).isEqualTo(2);
            assertThat(a.metadata()).isEqualTo(ref.metadata());
            assertThat(a.tensors()).isEqualTo(ref.tensors());
        }
    }

    @Test
    void dataIsUnavailableAfterClose() throws IOException {
        GgufFile g = GgufFile.open(SharedData.model("stories260K.gguf"));
        MemorySegment d = g.data(g.tensors().getFirst());
        g.close();
        g.close(); // idempotent
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.get(ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class);
    }
}
