package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over 2 GiB (int offsets would overflow): written through the writer's streaming mapping and read
 * back. Only a few pages are touched, so the file stays sparse on disk and the test takes well under a second.
 */
class GgufLargeFileTest {
    @TempDir Path dir;

    @Test
    void writesAndReadsTensorsBeyond2GiB() throws IOException {
        Path out = dir.resolve("big.gguf");
        long cols = 1 << 20, rows = 800; // I8: 800 MiB per tensor, 4 tensors = 3.1 GiB
        GgufWriter w = new GgufWriter().putString("general.architecture", "test");
        for (int i = 0; i < 4; i++) {
            byte mark = (byte) (i + 1);
            w.addTensor("t" + i, DType.I8, new long[] {cols, rows}, dst -> {
                dst.set(ValueLayout.JAVA_BYTE, 0, mark);
                dst.set(ValueLayout.JAVA_BYTE, dst.byteSize() - 1, (byte) -mark);
            });
        }
        w.write(out);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.fileSize()).isGreaterThan(1L << 31);
            GgufTensorInfo last = g.tensor("t3").orElseThrow();
            assertThat(last.offset()).isGreaterThan(1L << 31);
            assertThat(last.bytes()).isEqualTo(cols * rows);
            var data = g.data(last);
            assertThat(data.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 4);
            assertThat(data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1)).isEqualTo((byte) -4);
        }
    }
}
