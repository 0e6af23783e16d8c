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
        assertThat(r.err()).contains("tuning 9 linear kernel signatures"); // 256x256, 128x256, 768x256, 256x768 at T8 and T1, 32000x256 at T1
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("kernels")).isNotEmpty();
        for (JsonNode k : root.get("kernels")) {
            assertThat(k.get("kernel").asText()).startsWith("linear:Q8_0:");
            assertThat(k.get("tuned_ns").asDouble()).isLessThanOrEqualTo(k.get("default_ns").asDouble());
        }
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
