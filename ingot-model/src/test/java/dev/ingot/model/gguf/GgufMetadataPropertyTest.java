package dev.ingot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Any metadata the writer accepts reads back with the same values, types and order. jqwik logs the seed. */
class GgufMetadataPropertyTest {
    record Value(GgufValueType type, Object value) {}

    private static final List<GgufValueType> SCALARS = List.of(GgufValueType.values()).stream()
            .filter(t -> t != GgufValueType.ARRAY).toList();

    @Provide
    Arbitrary<Value> values() {
        return Arbitraries.oneOf(scalar(), array(1));
    }

    private static Arbitrary<Value> scalar() {
        return Arbitraries.of(SCALARS).flatMap(t -> scalarOf(t).map(v -> new Value(t, v)));
    }

    private static Arbitrary<?> scalarOf(GgufValueType t) {
        return switch (t) {
            case UINT8 -> Arbitraries.integers().between(0, 255);
            case INT8 -> Arbitraries.integers().between(-128, 127);
            case UINT16 -> Arbitraries.integers().between(0, 65535);
            case INT16 -> Arbitraries.integers().between(-32768, 32767);
            case UINT32 -> Arbitraries.longs().between(0, 0xFFFF_FFFFL);
            case INT32 -> Arbitraries.integers();
            case UINT64, INT64 -> Arbitraries.longs();
            case FLOAT32 -> Arbitraries.floats();
            case FLOAT64 -> Arbitraries.doubles();
            case BOOL -> Arbitraries.of(true, false);
            // Valid Unicode only: GGUF strings are UTF-8, lone surrogates cannot round-trip.
            case STRING -> Arbitraries.strings().alpha().numeric().withChars("üテ\n\" {}").ofMaxLength(20);
            case ARRAY -> throw new IllegalArgumentException("not a scalar");
        };
    }

    /** A non-empty array of one element type; arrays of arrays (each with its own element type) up to {@code depth}. */
    private static Arbitrary<Value> array(int depth) {
        Arbitrary<List<Object>> flat = Arbitraries.of(SCALARS).flatMap(t -> scalarOf(t).map(o -> (Object) o).list().ofMinSize(1).ofMaxSize(6));
        Arbitrary<List<Object>> lists = depth == 0 ? flat
                : Arbitraries.oneOf(flat, array(depth - 1).map(v -> (Object) v.value()).list().ofMinSize(1).ofMaxSize(3));
        return lists.map(l -> new Value(GgufValueType.ARRAY, l));
    }

    @Property(tries = 40)
    void metadataRoundTrips(@ForAll @Size(max = 12) List<@From("values") Value> values) throws IOException {
        Path dir = Files.createTempDirectory("gguf-prop");
        Path out = dir.resolve("m.gguf");
        try {
            GgufWriter w = new GgufWriter();
            Map<String, Value> expected = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                w.put("k" + i, values.get(i).type(), values.get(i).value());
                expected.put("k" + i, values.get(i));
            }
            w.write(out);
            try (GgufFile g = GgufFile.open(out)) {
                assertThat(g.metadata().keySet()).containsExactlyElementsOf(expected.keySet());
                expected.forEach((k, v) -> {
                    assertThat(g.valueType(k)).hasValue(v.type());
                    assertThat(g.metadata().get(k)).as(k).isEqualTo(v.value());
                });
            }
        } finally {
            Files.deleteIfExists(out);
            Files.delete(dir);
        }
    }
}
