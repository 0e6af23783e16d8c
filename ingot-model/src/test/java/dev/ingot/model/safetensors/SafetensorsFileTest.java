package dev.ingot.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir Path dir;

    @Test
    void readsF32F16Bf16TensorsAndMetadata() throws IOException {
        Path p = new SafetensorsTestFiles()
                .meta("format", "pt")
                .f32("a", new long[] {2, 3}, 0, 1, 2, 3, 4, 5.5f)
                .add("h", "F16", new long[] {2}, new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}) // 1.0, -2.0
                .add("b", "BF16", new long[] {1, 2}, new byte[] {(byte) 0x80, 0x3F, 0x40, 0x40}) // 1.0, 3.0
                .write(dir.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsEntry("format", "pt");
            assertThat(f.tensors()).extracting(SafetensorsTensorInfo::name).containsExactly("a", "h", "b");
            SafetensorsTensorInfo a = f.tensor("a").orElseThrow();
            assertThat(a.type()).isEqualTo(DType.F32);
            assertThat(a.shape()).containsExactly(2, 3);
            assertThat(a.ne()).containsExactly(3, 2);
            assertThat(a.elements()).isEqualTo(6);
            assertThat(f.data(a).getAtIndex(F32, 5)).isEqualTo(5.5f);
            SafetensorsTensorInfo h = f.tensor("h").orElseThrow();
            assertThat(Float.float16ToFloat(f.data(h).getAtIndex(I16, 1))).isEqualTo(-2f);
            SafetensorsTensorInfo b = f.tensor("b").orElseThrow();
            assertThat(b.type()).isEqualTo(DType.BF16);
            assertThat(Float.intBitsToFloat(f.data(b).getAtIndex(I16, 1) << 16)).isEqualTo(3f);
            assertThat(f.data(b).isReadOnly()).isTrue();
        }
    }

    private void rejects(byte[] file, String... problem) throws IOException {
        Path p = Files.write(dir.resolve("bad.safetensors"), file);
        assertThatThrownBy(() -> SafetensorsFile.open(p).close()).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(p + ": ").hasMessageContainingAll(problem);
    }

    private static byte[] json(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void rejectsCorruptHeaders() throws IOException {
        SafetensorsTestFiles one = new SafetensorsTestFiles().f32("a", new long[] {2}, 1, 2);
        rejects(new byte[5], "truncated");
        byte[] huge = one.bytes(one.header());
        huge[6] = 1; // header length ~ 2^48
        rejects(huge, "header length", "is invalid");
        rejects(one.bytes(json("{\"a\": {")), "not valid JSON");
        rejects(one.bytes(json("[1, 2]")), "not a JSON object");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [2], \"data_offsets\": [0, 8]}}")), "unsupported dtype 'F8_E4M3'");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 16]}}")), "out of the data buffer");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}")), "has 8 bytes of data but", "needs 12");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}")), "shape[0] is not a non-negative integer");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0]}}")), "data_offsets");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}")), "'a' and 'b' overlap");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}")), "Duplicate field 'a'");
        rejects(one.bytes(json("{\"__metadata__\": {\"k\": 1}}")), "__metadata__.k is not a string");
        rejects(one.bytes(json("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 8]}}")),
                "size overflows");
    }
}
