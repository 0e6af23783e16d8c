package dev.ingot.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code unsupported-tests.txt}: one {@code suite/test_name: reason} per line, {@code #} comments. The reason
 * says what is missing ("op Conv not imported", "dtype string ...").
 */
final class UnsupportedList {
    private UnsupportedList() {}

    static Map<String, String> read() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = UnsupportedList.class.getResourceAsStream("/unsupported-tests.txt")) {
            if (in == null) return m;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int c = line.indexOf(": ");
                if (c < 0) throw new IllegalStateException("unsupported-tests.txt: no reason in '" + line + "'");
                m.put(line.substring(0, c), line.substring(c + 2));
            }
        }
        return m;
    }

    static String format(Map<String, String> failures) {
        StringBuilder sb = new StringBuilder("""
                # ONNX backend tests (libonnx-testdata) that do not pass yet, one "suite/test: reason" per line.
                # The list only shrinks: a listed test that passes fails the build. Regenerate with
                # -Donnx.conformance.write=FILE (see OnnxConformanceTest).
                """);
        failures.forEach((id, why) -> sb.append(id).append(": ").append(why.replace('\n', ' ')).append('\n'));
        return sb.toString();
    }
}
