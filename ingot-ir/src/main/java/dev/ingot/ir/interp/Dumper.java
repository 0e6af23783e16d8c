package dev.ingot.ir.interp;

import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes named values of an interpreter run for comparison with other implementations: {@code <name>.f32} holds
 * the values as little-endian F32 (integers converted), row-major; {@code index.tsv} lists
 * {@code name, dtype, shape, file, stats} one value per line in evaluation order. A later run overwrites.
 */
public final class Dumper implements AutoCloseable {
    private final Path dir;
    private final Writer index;

    public Dumper(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            index = Files.newBufferedWriter(dir.resolve("index.tsv"));
            index.write("name\tdtype\tshape\tfile\tstats\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create dump directory " + dir, e);
        }
    }

    /** File name for a value name: path separators and odd characters become '_'. */
    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._'-]", "_").replace("'", "_w") + ".f32";
    }

    public void write(Value v, Tensor t) {
        String file = fileName(v.name());
        float[] f = t.floatsForRead();
        ByteBuffer buf = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : f) buf.putFloat(x);
        try {
            Files.write(dir.resolve(file), buf.array());
            index.write(v.name() + "\t" + TensorType.dtypeName(t.dtype()) + "\t" + Arrays.toString(t.shape()) + "\t" + file + "\t" + Stats.of(t) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump " + v.name() + " to " + dir, e);
        }
    }

    @Override public void close() {
        try {
            index.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
