package dev.ingot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingot tune} end to end on a tiny model with a few seconds of budget, then {@code --report}. */
class TuneCommandTest {
    @TempDir Path dir;

    @Test
    void tunesIntoTheDatabaseAndReports() throws IOException {
        Path db = dir.resolve("db.json");
        var r = QuantizeCommandTest.run("tune", "-m", SharedData.model("tiny-llama-spm-Q8_0.gguf").toString(), "--budget", "4s",
                "--buckets", "1,8", "-t", "2", "--db", db.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        // linear: 256x256, 128x256, 768x256, 256x768 at T8 and T1, 32000x256 at T1; attention at T1 and T8 in the
        // context buckets of 256 and 1024 the model's context reaches; fused groups at T8 (T1 has nothing to split)
        assertThat(r.err()).containsPattern("tuning \\d+ kernel signatures \\(9 linear\\)");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("kernels")).isNotEmpty();
        java.util.Set<String> families = new java.util.TreeSet<>();
        for (JsonNode k : root.get("kernels")) {
            String sig = k.get("kernel").asText();
            families.add(sig.substring(0, sig.indexOf(sig.startsWith("fused/") ? '/' : ':')));
            if (sig.startsWith("linear")) assertThat(sig).startsWith("linear:Q8_0:");
            assertThat(k.get("tuned_ns").asDouble()).isLessThanOrEqualTo(k.get("default_ns").asDouble());
        }
        assertThat(families).as("every family is tuned").containsExactly("attention", "fused", "linear");
        assertThat(Files.readString(db)).contains("\"source\" : \"tuned\"");
        assertThat(dir.resolve("trials.jsonl")).isNotEmptyFile();

        Path html = dir.resolve("out/report.html");
        var rep = QuantizeCommandTest.run("tune", "--report", "--db", db.toString(), "-o", html.toString());
        assertThat(rep.code()).as(rep.err()).isZero();
        assertThat(Files.readString(html)).contains("<svg").contains("Tuned kernels").contains(root.get("kernels").get(0).get("kernel").asText());
    }

    @Test
    void usageErrors() {
        assertThat(QuantizeCommandTest.run("tune").code()).isNotZero();
        var r = QuantizeCommandTest.run("tune", "-m", "x.gguf", "--budget", "soon");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--budget must look like");
        assertThat(TuneCommand.parseDuration("90s").toSeconds()).isEqualTo(90);
        assertThat(TuneCommand.parseDuration("1.5m").toSeconds()).isEqualTo(90);
    }
}
