package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutates real GGUF files (bit flips, truncations, overwritten counts / lengths / type ids / dimensions /
 * offsets found by walking the header) and checks that every outcome is a successful parse or a
 * {@link GgufFormatException}: no index, allocation or stack errors and no hang. jqwik prints the seed of
 * each run (and of a failure) so a failing case can be replayed.
 */
class GgufFuzzTest {
    private static final Sample STORIES = Sample.load(SharedData.model("stories260K.gguf"));
    private static final Sample VOCAB = Sample.load(SharedData.model("vocab/ggml-vocab-llama-spm.gguf"));

    /** A file plus the offsets of its structural fields (lengths, counts, type ids, n_dims, ne, offsets). */
    record Sample(String name, byte[] bytes, int headerEnd, int[] fields) {
        static Sample load(Path p) {
            try {
                byte[] b = Files.readAllBytes(p);
                List<Integer> fields = new ArrayList<>();
                int end = HeaderWalker.walk(b, fields);
                return new Sample(p.getFileName().toString(), b, end, fields.stream().mapToInt(Integer::intValue).toArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    enum Kind { BIT_FLIP, TRUNCATE, FIELD_U32, FIELD_U64, RANDOM_BYTES }

    record Mutation(Kind kind, int position, long value) {}

    @Property(tries = 300)
    void mutatedStoriesOpensOrFailsCleanly(@ForAll("mutations") Mutation m) {
        check(STORIES, m);
    }

    @Property(tries = 200)
    void mutatedVocabOpensOrFailsCleanly(@ForAll("mutations") Mutation m) {
        check(VOCAB, m);
    }

    /** The same through {@link GgufFile#open} on a real file: mapping, arena release and exceptions. */
    @Property(tries = 50)
    void mutatedFileOnDiskOpensOrFailsCleanly(@ForAll("mutations") Mutation m) throws IOException {
        Path f = Files.createTempFile("fuzz", ".gguf");
        try {
            Files.write(f, mutate(STORIES, m));
            try (GgufFile g = GgufFile.open(f)) {
                for (GgufTensorInfo t : g.tensors()) assertThat(g.data(t).byteSize()).isEqualTo(t.bytes());
            } catch (GgufFormatException e) {
                assertThat(e.getMessage()).startsWith(f + ": ");
            }
        } finally {
            Files.delete(f);
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        // Values that break counts and lengths: 0, small, around the file size, sign bit, all ones.
        Arbitrary<Long> values = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 3L, 4L, 5L, 13L, 31L, 33L, 255L, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 1L << 31,
                        1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 723_869L, 1_185_376L),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, Integer.MAX_VALUE), values)
                .as(Mutation::new);
    }

    private static void check(Sample s, Mutation m) {
        byte[] b = mutate(s, m);
        try {
            GgufParser.Header h = GgufParser.parse(Path.of(s.name()), MemorySegment.ofArray(b));
            Statistics.collect(m.kind(), "parsed");
            // Whatever parsed must be usable: every tensor slice is inside the data.
            for (GgufTensorInfo t : h.tensors()) {
                assertThat(t.offset() + t.bytes()).isLessThanOrEqualTo(b.length);
                assertThat(t.elements()).isNotNegative();
                MemorySegment.ofArray(b).asSlice(t.offset(), t.bytes());
            }
        } catch (GgufFormatException e) {
            assertThat(e.getMessage()).startsWith(s.name() + ": ");
            Statistics.collect(m.kind(), "rejected");
        }
    }

    private static byte[] mutate(Sample s, Mutation m) {
        byte[] b = s.bytes().clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = m.position();
        return switch (m.kind()) {
            case BIT_FLIP -> {
                int at = p % s.headerEnd();
                b[at] ^= (byte) (1 << (m.value() & 7));
                yield b;
            }
            case TRUNCATE -> Arrays.copyOf(b, p % b.length);
            case FIELD_U32 -> {
                bb.putInt(s.fields()[p % s.fields().length], (int) m.value());
                yield b;
            }
            case FIELD_U64 -> {
                int at = s.fields()[p % s.fields().length];
                if (at + 8 <= b.length) bb.putLong(at, m.value()); else bb.putInt(at, (int) m.value());
                yield b;
            }
            case RANDOM_BYTES -> {
                int at = p % s.headerEnd();
                for (int i = 0; i < 8 && at + i < b.length; i++) b[at + i] = (byte) (m.value() >>> (8 * i));
                yield b;
            }
        };
    }

    /** Walks a valid header and records the offset of every structural field, independently of the parser. */
    static final class HeaderWalker {
        private static final int[] FIXED = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};

        static int walk(byte[] bytes, List<Integer> fields) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            fields.add(0); // magic
            fields.add(4); // version
            fields.add(8); // n_tensors
            fields.add(16); // n_kv
            long nTensors = b.getLong(8), nKv = b.getLong(16);
            b.position(24);
            for (long i = 0; i < nKv; i++) {
                skipString(b, fields);
                fields.add(b.position());
                skipValue(b, b.getInt(), fields);
            }
            for (long i = 0; i < nTensors; i++) {
                skipString(b, fields);
                fields.add(b.position());
                int nDims = b.getInt();
                for (int d = 0; d < nDims; d++) {
                    fields.add(b.position());
                    b.getLong();
                }
                fields.add(b.position()); // type
                b.getInt();
                fields.add(b.position()); // offset
                b.getLong();
            }
            return b.position();
        }

        private static void skipString(ByteBuffer b, List<Integer> fields) {
            fields.add(b.position());
            long len = b.getLong();
            b.position(b.position() + (int) len);
        }

        private static void skipValue(ByteBuffer b, int type, List<Integer> fields) {
            if (type == 8) {
                skipString(b, fields);
            } else if (type == 9) {
                fields.add(b.position());
                int et = b.getInt();
                fields.add(b.position());
                long n = b.getLong();
                if (et == 8 || et == 9) {
                    // Record only the first few element fields: big vocabularies would drown the header fields.
                    List<Integer> sink = new ArrayList<>();
                    for (long i = 0; i < n; i++) skipValue(b, et, i < 4 ? fields : sink);
                } else {
                    b.position(b.position() + (int) (n * FIXED[et]));
                }
            } else {
                b.position(b.position() + FIXED[type]);
            }
        }
    }
}
