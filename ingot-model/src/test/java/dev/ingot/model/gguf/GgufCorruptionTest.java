package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built malformed files: each is rejected with a GgufFormatException that names the file and the problem. */
class GgufCorruptionTest {
    @TempDir Path dir;

    /** Header start: magic, version, counts. */
    private static GgufEncoder header(int version, long nTensors, long nKv) {
        GgufEncoder e = new GgufEncoder();
        e.i32(0x46554747);
        e.i32(version);
        e.i64(nTensors);
        e.i64(nKv);
        return e;
    }

    private static void tensorInfo(GgufEncoder e, String name, DType type, long offset, long... ne) {
        e.string(name);
        e.i32(ne.length);
        for (long d : ne) e.i64(d);
        e.i32(type.ggmlId());
        e.i64(offset);
    }

    /** A file with the given tensor infos and {@code dataBytes} of zeroed tensor data after 32-byte alignment. */
    private static byte[] withTensors(long dataBytes, Consumer<GgufEncoder> infos, int nTensors) {
        GgufEncoder e = header(3, nTensors, 0);
        infos.accept(e);
        byte[] h = e.toByteArray();
        return Arrays.copyOf(h, (int) (GgufParser.alignUp(h.length, 32) + dataBytes));
    }

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("bad.gguf"), bytes);
    }

    private void rejects(byte[] bytes, String... problem) throws IOException {
        Path p = file(bytes);
        assertThatThrownBy(() -> GgufFile.open(p).close())
                .isInstanceOf(GgufFormatException.class)
                .hasMessageStartingWith(p + ": ")
                .hasMessageContainingAll(problem);
    }

    @Test
    void rejectsBadMagicAndVersions() throws IOException {
        rejects("GGML\0\0\0\0".getBytes(), "bad magic");
        rejects(header(1, 0, 0).toByteArray(), "version 1 is not supported");
        rejects(header(4, 0, 0).toByteArray(), "unsupported GGUF version 4");
        rejects(header(Integer.reverseBytes(3), 0, 0).toByteArray(), "big-endian");
        rejects(new byte[0], "truncated", "magic");
        rejects(Arrays.copyOf(header(3, 0, 0).toByteArray(), 13), "truncated", "tensor count");
    }

    @Test
    void rejectsAbsurdCounts() throws IOException {
        rejects(header(3, 1L << 40, 0).toByteArray(), "absurd tensor count");
        rejects(header(3, 0, -1).toByteArray(), "absurd metadata entry count 18446744073709551615");
        GgufEncoder e = header(3, 0, 1);
        e.string("a");
        e.i32(GgufValueType.ARRAY.id());
        e.i32(GgufValueType.INT32.id());
        e.i64(1_000_000);
        rejects(e.toByteArray(), "absurd array length of 'a'");
    }

    @Test
    void rejectsBadMetadata() throws IOException {
        GgufEncoder longString = header(3, 0, 1);
        longString.i64(1L << 50);
        longString.i64(0); // padding so the entry count itself is plausible
        rejects(longString.toByteArray(), "string length 1125899906842624", "beyond the end of the file");

        GgufEncoder unknownType = header(3, 0, 1);
        unknownType.string("k");
        unknownType.i32(99);
        rejects(unknownType.toByteArray(), "unknown value type of metadata key 'k' id 99");

        GgufEncoder dup = header(3, 0, 2);
        for (int i = 0; i < 2; i++) {
            dup.string("k");
            dup.i32(GgufValueType.INT32.id());
            dup.i32(i);
        }
        rejects(dup.toByteArray(), "duplicate metadata key 'k'");

        GgufEncoder truncatedValue = header(3, 0, 1);
        truncatedValue.string("k");
        truncatedValue.i32(GgufValueType.UINT64.id());
        truncatedValue.i32(5);
        rejects(truncatedValue.toByteArray(), "truncated", "value of 'k'");

        GgufEncoder badBool = header(3, 0, 1);
        badBool.string("b");
        badBool.i32(GgufValueType.BOOL.id());
        badBool.u8(2);
        rejects(badBool.toByteArray(), "bool value of 'b' is 2");

        GgufEncoder badAlign = header(3, 0, 1);
        badAlign.string("general.alignment");
        badAlign.i32(GgufValueType.UINT32.id());
        badAlign.i32(48);
        rejects(badAlign.toByteArray(), "general.alignment 48 is not a power of two");

        GgufEncoder deep = header(3, 0, 1);
        deep.string("n");
        deep.i32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 20; i++) {
            deep.i32(GgufValueType.ARRAY.id());
            deep.i64(1);
        }
        deep.i32(GgufValueType.INT32.id());
        deep.i64(0);
        rejects(deep.toByteArray(), "nested deeper than 8");
    }

    @Test
    void rejectsBadTensorInfos() throws IOException {
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.F32, 0, 1, 1, 1, 1, 1), 1), "'t' has 5 dimensions");
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.F32, 0, -4), 1), "'t' has dimension ne[0] = 18446744073709551612");
        rejects(withTensors(64, e -> {
            e.string("t");
            e.i32(1);
            e.i64(4);
            e.i32(4); // Q4_2: removed from ggml
            e.i64(0);
        }, 1), "'t' has unknown or unsupported ggml type id 4");
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.Q8_0, 0, 33), 1), "row length 33 is not a multiple of the Q8_0 block size 32");
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.F32, 8, 4), 1), "data offset 8 is not a multiple of the alignment 32");
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.F32, 0, 17), 1), "'t' data", "out of the file bounds");
        rejects(withTensors(64, e -> tensorInfo(e, "t", DType.F32, 0, Long.MAX_VALUE / 2, 16), 1), "size overflows");
        rejects(withTensors(64, e -> {
            tensorInfo(e, "a", DType.F32, 0, 16);
            tensorInfo(e, "b", DType.F32, 32, 8);
        }, 2), "'a' and 'b' overlap");
        rejects(withTensors(64, e -> {
            tensorInfo(e, "a", DType.F32, 0, 4);
            tensorInfo(e, "a", DType.F32, 32, 4);
        }, 2), "duplicate tensor name 'a'");
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() {
        Path missing = dir.resolve("missing.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> GgufFile.open(dir)).isInstanceOf(IOException.class).hasMessage(dir + ": not a regular file");
    }

    @Test
    void acceptsAMinimalValidFile() throws IOException {
        byte[] ok = withTensors(64, e -> {
            tensorInfo(e, "a", DType.F32, 0, 8);
            tensorInfo(e, "b", DType.F32, 32, 8);
        }, 2);
        try (GgufFile g = GgufFile.open(file(ok))) {
            assertThat(g.tensors()).extracting(GgufTensorInfo::name).containsExactly("a", "b");
            assertThat(g.metadata()).isEmpty();
            assertThat(g.string("general.architecture")).isEmpty();
            assertThatThrownBy(g::architecture).hasMessageContaining("general.architecture");
        }
    }
}
