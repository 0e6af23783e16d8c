package dev.ingot.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutates a valid safetensors file (byte overwrites in the length prefix and JSON header, truncations) and
 * checks that every outcome is a successful parse with in-bounds tensors or a SafetensorsFormatException.
 * jqwik prints the seed of every run.
 */
class SafetensorsFuzzTest {
    private static final SafetensorsTestFiles FILE = new SafetensorsTestFiles()
            .meta("format", "pt")
            .f32("model.embed_tokens.weight", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
            .add("b", "BF16", new long[] {4}, new byte[8])
            .add("i", "I64", new long[] {1, 1}, new byte[8]);
    private static final byte[] HEADER = FILE.header();
    private static final byte[] BYTES = FILE.bytes(HEADER);
    /** Characters that change JSON structure or numbers when dropped into the header. */
    private static final byte[] JSON_BYTES = "{}[]\",:0123456789-e. \\x".getBytes();

    record Mutation(boolean truncate, int position, int count, int seed) {}

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, BYTES.length - 1),
                Arbitraries.integers().between(1, 4), Arbitraries.integers()).as(Mutation::new);
    }

    @Property(tries = 300)
    void mutatedHeaderParsesOrFailsCleanly(@ForAll("mutations") Mutation m) {
        byte[] b = BYTES.clone();
        if (m.truncate()) {
            b = Arrays.copyOf(b, m.position());
        } else {
            int end = 8 + HEADER.length;
            for (int i = 0; i < m.count(); i++) {
                int at = Math.floorMod(m.position() + i * 7, end);
                int r = m.seed() >>> (i * 8);
                // Structural JSON characters most of the time, raw bytes otherwise (including the length prefix).
                b[at] = at >= 8 && (r & 0x80) == 0 ? JSON_BYTES[Math.floorMod(r, JSON_BYTES.length)] : (byte) r;
            }
        }
        try {
            SafetensorsHeader.Parsed p = SafetensorsHeader.parse(Path.of("fuzz.safetensors"), MemorySegment.ofArray(b));
            for (SafetensorsTensorInfo t : p.tensors()) assertThat(t.offset() + t.bytes()).isLessThanOrEqualTo(b.length);
            Statistics.collect("parsed");
        } catch (SafetensorsFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz.safetensors: ");
            Statistics.collect("rejected");
        }
    }
}
