package dev.ingot.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.ir.interp.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @Test
    void roundTripsFloatsIntsAndBools(@TempDir Path dir) throws IOException {
        Tensor f = Tensor.f32(new float[] {1.5f, -2f, 3.25f, 0f, Float.NaN, 7f}, 2, 3);
        Tensor l = Tensor.i64(new long[] {Long.MAX_VALUE, -1, 0}, 3);
        Tensor b = Tensor.bool(new boolean[] {true, false}, 2);
        Tensor s = Tensor.f32(new float[] {42f});
        for (Tensor t : new Tensor[] {f, l, b, s}) {
            Path p = dir.resolve("t.npy");
            Npy.write(t, p);
            byte[] bytes = Files.readAllBytes(p);
            int headerEnd = 10 + (bytes[8] & 0xFF | (bytes[9] & 0xFF) << 8);
            assertThat(headerEnd % 64).as("header of %s padded to 64", t).isZero();
            Tensor back = Npy.read(p);
            assertThat(back.dtype()).isEqualTo(t.dtype());
            assertThat(back.shape()).isEqualTo(t.shape());
            assertThat(ConformanceCase.compare(back, t)).as(t.toString()).isNull();
        }
        assertThat(new String(Files.readAllBytes(dir.resolve("t.npy")), StandardCharsets.ISO_8859_1)).contains("'shape': (), ");
    }

    @Test
    void readsNumpysHeaderForAOneDimensionalArray(@TempDir Path dir) throws IOException {
        // the bytes numpy 1.x writes for np.array([1, 2], dtype='<i4')
        String header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = new byte[10 + h.length + 8];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, file, 0, 10);
        System.arraycopy(h, 0, file, 10, h.length);
        file[10 + h.length] = 1;
        file[14 + h.length] = 2;
        Files.write(dir.resolve("a.npy"), file);
        Tensor t = Npy.read(dir.resolve("a.npy"));
        assertThat(t.shape()).containsExactly(2);
        assertThat(t.getLong(0)).isEqualTo(1);
        assertThat(t.getLong(1)).isEqualTo(2);
    }

    @Test
    void refusesFortranOrder(@TempDir Path dir) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = new byte[10 + h.length + 4];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, file, 0, 10);
        System.arraycopy(h, 0, file, 10, h.length);
        Files.write(dir.resolve("f.npy"), file);
        assertThatThrownBy(() -> Npy.read(dir.resolve("f.npy"))).hasMessageContaining("Fortran");
    }
}
