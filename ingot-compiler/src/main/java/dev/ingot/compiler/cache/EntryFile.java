package dev.ingot.compiler.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** Encoding and validation of one cache entry (format in {@code package-info}). */
final class EntryFile {
    private EntryFile() {}

    static final byte[] MAGIC = {'I', 'N', 'G', 'O', 'T', 'C', 'C', 0};
    static final int FORMAT = 1;
    /** No generated class comes near this; a larger length field means a corrupt header. */
    static final int MAX_BYTES = 64 << 20;

    /** Thrown when an entry must not be trusted; the message says why. */
    static final class Rejected extends Exception {
        Rejected(String why) {
            super(why);
        }
    }

    static byte[] encode(CacheKey key, byte[] classBytes) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(classBytes.length + 512);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key.compiler());
            out.writeUTF(key.text());
            out.writeInt(classBytes.length);
            out.write(classBytes);
            out.writeLong(crc(classBytes));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bos.toByteArray();
    }

    /** The class bytes of {@code file} if it is a complete, intact, verifiable entry for {@code key}. */
    static byte[] decode(CacheKey key, byte[] file) throws Rejected {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new Rejected("not a cache entry (bad magic)");
            int format = in.readInt();
            if (format != FORMAT) throw new Rejected("entry format " + format + ", expected " + FORMAT);
            String compiler = in.readUTF();
            if (!compiler.equals(key.compiler())) throw new Rejected("stale: compiled by " + compiler + ", this is " + key.compiler());
            String text = in.readUTF();
            if (!text.equals(key.text())) throw new Rejected("key mismatch: entry is for " + text);
            int n = in.readInt();
            if (n < 0 || n > MAX_BYTES) throw new Rejected("bad length " + n);
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            long stored = in.readLong();
            if (stored != crc(bytes)) throw new Rejected("checksum mismatch");
            if (in.read() != -1) throw new Rejected("trailing bytes");
            List<VerifyError> errors = ClassFile.of().verify(bytes);
            if (!errors.isEmpty()) throw new Rejected("class fails verification: " + errors.getFirst().getMessage());
            return bytes;
        } catch (EOFException e) {
            throw new Rejected("truncated");
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejected("unreadable: " + e);
        }
    }

    static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }
}
