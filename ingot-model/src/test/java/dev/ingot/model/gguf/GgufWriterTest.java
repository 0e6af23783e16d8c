package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.tensor.DType;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tiny-llama-spm-Q4_K_M.gguf", "tiny-llama3-bpe-Q8_0.gguf", "vocab/ggml-vocab-qwen2.gguf"})
    void roundTripPreservesMetadataTypesAndTensorBytes(String name) throws IOException {
        Path out = dir.resolve("copy.gguf");
        try (GgufFile src = GgufFile.open(SharedData.model(name))) {
            GgufWriter w = new GgufWriter().copyMetadata(src);
            for (GgufTensorInfo t : src.tensors()) w.copyTensor(src, t);
            w.write(out);
            try (GgufFile copy = GgufFile.open(out)) {
                assertThat(copy.version()).isEqualTo(3);
                assertThat(copy.metadata()).containsExactlyEntriesOf(src.metadata());
                for (String key : src.metadata().keySet()) assertThat(copy.valueType(key)).isEqualTo(src.valueType(key));
                assertThat(copy.tensors()).hasSameSizeAs(src.tensors());
                for (int i = 0; i < src.tensors().size(); i++) {
                    GgufTensorInfo a = src.tensors().get(i), b = copy.tensors().get(i);
                    assertThat(b.name()).isEqualTo(a.name());
                    assertThat(b.type()).isEqualTo(a.type());
                    assertThat(b.ne()).containsExactly(a.ne());
                    assertThat(copy.data(b).mismatch(src.data(a))).as(a.name()).isEqualTo(-1);
                }
            }
            // The shared files were written by gguf-py with the same layout rules, so the copy is byte-identical.
            if (src.version() == 3) {
                assertThat(Files.mismatch(out, src.path())).isEqualTo(-1);
            }
        }
    }

    @Test
    void writesEveryValueTypeAndStreamsTensorData() throws IOException {
        Path out = dir.resolve("types.gguf");
        new GgufWriter()
                .putString("general.architecture", "test")
                .put("u8", GgufValueType.UINT8, 255).put("i8", GgufValueType.INT8, -128)
                .put("u16", GgufValueType.UINT16, 65535).put("i16", GgufValueType.INT16, -32768)
                .putUInt32("u32", 4_000_000_000L).putInt32("i32", -7).putUInt64("u64", -1L).putInt64("i64", Long.MIN_VALUE)
                .putFloat32("f32", 1.5f).putFloat64("f64", Math.PI).putBool("b", true)
                .putStrings("strs", List.of("a", "ü", "")).putFloats("floats", new float[] {1, 2.5f}).putInts("ints", new int[] {3, -4})
                .put("nested", GgufValueType.ARRAY, List.of(List.of(1L, 2L), List.of(3L)))
                .put("empty", GgufValueType.ARRAY, GgufArray.ofStrings(List.of()))
                .alignment(64)
                .addTensor("w", DType.F32, new long[] {3, 2}, dst -> {
                    for (int i = 0; i < 6; i++) dst.setAtIndex(F32, i, i * 0.5f);
                })
                .addTensor("q", DType.Q8_0, new long[] {32}, dst -> dst.fill((byte) 7))
                .write(out);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.metadata()).containsEntry("u8", 255).containsEntry("i8", -128).containsEntry("u16", 65535)
                    .containsEntry("i16", -32768).containsEntry("u32", 4_000_000_000L).containsEntry("i32", -7)
                    .containsEntry("u64", -1L).containsEntry("i64", Long.MIN_VALUE).containsEntry("f32", 1.5f)
                    .containsEntry("f64", Math.PI).containsEntry("b", true);
            assertThat(g.stringArray("strs")).containsExactly("a", "ü", "");
            assertThat(g.floatArray("floats")).containsExactly(1, 2.5f);
            assertThat(g.intArray("ints")).containsExactly(3, -4);
            assertThat(g.metadata().get("nested")).isEqualTo(List.of(List.of(1L, 2L), List.of(3L)));
            assertThat(g.stringArray("empty")).isEmpty();
            assertThat(g.valueType("u64")).hasValue(GgufValueType.UINT64);
            GgufTensorInfo w = g.tensor("w").orElseThrow();
            assertThat(w.shape()).containsExactly(2, 3);
            assertThat(g.data(w).getAtIndex(F32, 5)).isEqualTo(2.5f);
            GgufTensorInfo q = g.tensor("q").orElseThrow();
            assertThat(q.bytes()).isEqualTo(34);
            assertThat((q.offset() - g.dataOffset()) % 64).isZero();
            assertThat(g.data(q).get(ValueLayout.JAVA_BYTE, 33)).isEqualTo((byte) 7);
        }
    }

    @Test
    void failedTensorCallbackLeavesNothingBehind() throws IOException {
        Path out = dir.resolve("broken.gguf");
        GgufWriter w = new GgufWriter().putString("general.architecture", "test")
                .addTensor("w", DType.F32, new long[] {4}, dst -> { throw new IOException("quantiser failed"); });
        assertThatThrownBy(() -> w.write(out)).isInstanceOf(IOException.class).hasMessage("quantiser failed");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rejectsInvalidInput() {
        GgufWriter w = new GgufWriter();
        assertThatThrownBy(() -> w.put("k", GgufValueType.UINT8, 256)).hasMessageContaining("'k'").hasMessageContaining("out of range");
        assertThatThrownBy(() -> w.put("k", GgufValueType.STRING, 1)).hasMessageContaining("expected a String");
        assertThatThrownBy(() -> w.put("k", List.of())).hasMessageContaining("empty list");
        assertThatThrownBy(() -> w.alignment(48)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> w.addTensor("t", DType.Q4_0, new long[] {33, 2}, d -> {})).hasMessageContaining("block size");
        assertThatThrownBy(() -> w.addTensor("t", DType.BOOL, new long[] {1}, d -> {})).hasMessageContaining("no GGUF type id");
        assertThatThrownBy(() -> w.addTensor("t", DType.F32, new long[] {4}, MemorySegment.ofArray(new byte[15])))
                .hasMessageContaining("15 bytes given, 16 expected");
        w.addTensor("t", DType.F32, new long[] {4}, d -> {});
        assertThatThrownBy(() -> w.addTensor("t", DType.F32, new long[] {4}, d -> {})).hasMessageContaining("duplicate");
    }
}
