package dev.ingot.onnx;

import dev.ingot.ir.interp.Tensor;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1-3): a magic string, a header dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded to 64 bytes, then the C-order
 * elements. Little-endian (or byte-sized) descrs of the plain Ingot dtypes only; Fortran order is refused.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Tensor read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) if (buf.remaining() == 0 || buf.get() != m) throw new IOException(file + ": not a .npy file");
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        byte[] h = new byte[headerLen];
        buf.get(h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file);
        if (group(FORTRAN, header, file).equals("True")) throw new IOException(file + ": Fortran-order arrays are not supported");
        List<Long> dims = new ArrayList<>();
        for (String d : group(SHAPE, header, file).split(",")) if (!d.isBlank()) dims.add(Long.parseLong(d.strip()));
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        DType t = dtype(descr, file);
        Tensor out = Tensor.zeros(t, shape);
        long n = out.numel();
        if (buf.remaining() < n * t.blockBytes()) throw new IOException(file + ": truncated (" + descr + " " + dims + ")");
        for (long i = 0; i < n; i++) {
            switch (t) {
                case F32 -> out.setDouble(i, buf.getFloat());
                case F64 -> out.setDouble(i, buf.getDouble());
                case F16 -> out.setDouble(i, Float.float16ToFloat(buf.getShort()));
                case I64 -> out.setLong(i, buf.getLong());
                case I32 -> out.setLong(i, buf.getInt());
                case I16 -> out.setLong(i, buf.getShort());
                case I8 -> out.setLong(i, buf.get());
                case U8, BOOL -> out.setLong(i, buf.get() & 0xFF);
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }

    public static void write(Tensor t, Path file) throws IOException {
        StringBuilder shape = new StringBuilder();
        for (long s : t.shape()) shape.append(s).append(", ");
        if (t.rank() > 1) shape.setLength(shape.length() - 2);
        else if (t.rank() == 1) shape.setLength(shape.length() - 1);
        String dict = "{'descr': '" + descr(t.dtype()) + "', 'fortran_order': False, 'shape': (" + shape.toString().strip() + "), }";
        // header padded with spaces and ended by \n so that magic + version + length + header is a multiple of 64
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        long n = t.numel();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(10 + header.length() + n * t.dtype().blockBytes())).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (long i = 0; i < n; i++) {
            switch (t.dtype()) {
                case F32 -> buf.putFloat((float) t.getDouble(i));
                case F64 -> buf.putDouble(t.getDouble(i));
                case F16 -> buf.putShort(Float.floatToFloat16((float) t.getDouble(i)));
                case I64 -> buf.putLong(t.getLong(i));
                case I32 -> buf.putInt((int) t.getLong(i));
                case I16 -> buf.putShort((short) t.getLong(i));
                case I8, U8, BOOL -> buf.put((byte) t.getLong(i));
                default -> throw new IOException("cannot write " + t + " as .npy");
            }
        }
        Files.write(file, buf.array());
    }

    private static String group(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(file + ": bad .npy header " + header.strip());
        return m.group(1);
    }

    private static DType dtype(String descr, Path file) throws IOException {
        return switch (descr) {
            case "<f4" -> DType.F32;
            case "<f8" -> DType.F64;
            case "<f2" -> DType.F16;
            case "<i8" -> DType.I64;
            case "<i4" -> DType.I32;
            case "<i2" -> DType.I16;
            case "|i1" -> DType.I8;
            case "|u1" -> DType.U8;
            case "|b1" -> DType.BOOL;
            default -> throw new IOException(file + ": dtype " + descr + " is not supported (little-endian f2/f4/f8, i1-i8, u1, b1)");
        };
    }

    private static String descr(DType d) {
        return switch (d) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case F16 -> "<f2";
            case I64 -> "<i8";
            case I32 -> "<i4";
            case I16 -> "<i2";
            case I8 -> "|i1";
            case U8 -> "|u1";
            case BOOL -> "|b1";
            default -> throw new IllegalArgumentException("no .npy dtype for " + d);
        };
    }
}
