package dev.ingot.tune.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning database on disk: round trip, merging writers, and never trusting what it reads. */
class TuningDbTest {
    @TempDir Path dir;

    static TunedEntry row(String sig, String schedule, double tunedNs) {
        return new TunedEntry("cpu|abc|2cpu", 2, "v1", sig, TunedEntry.TUNED, schedule, "jvm grain=auto tb=all",
                "native tile=1x8 dtile=4 grain=auto", 1000, tunedNs, 0.01, "2026-01-01T00:00:00Z");
    }

    static Trial trial(String sig, int seq, double ns) {
        return new Trial("run1", "cpu|abc|2cpu", 2, "v1", sig, "jvm grain=16 tb=all", seq, ns, 0.02, 1000, seq % 2 == 0 ? null : ns * 1.1, "model");
    }

    @Test
    void roundTripsRowsAndTrials() {
        Path f = dir.resolve("tuning/db.json");
        TuningDb db = new TuningDb(f);
        db.put(row("linear:Q8_0:2048x2048:T128", "native tile=2x4 dtile=4 grain=8", 800));
        db.put(row("linear:Q8_0:2048x2048:T1", "jvm grain=32 tb=all", 900));
        db.addTrial(trial("linear:Q8_0:2048x2048:T1", 0, 950));
        db.addTrial(trial("linear:Q8_0:2048x2048:T1", 1, 900));
        db.save();
        assertThat(dir.resolve("tuning")).isDirectoryNotContaining("glob:**.tmp");

        TuningDb again = new TuningDb(f);
        assertThat(again.entries()).containsExactlyInAnyOrderElementsOf(db.entries());
        assertThat(again.lookup("cpu|abc|2cpu", 2, "v1", TunedEntry.TUNED, "linear:Q8_0:2048x2048:T128").orElseThrow().schedule())
                .isEqualTo("native tile=2x4 dtile=4 grain=8");
        assertThat(again.lookup("cpu|abc|2cpu", 1, "v1", TunedEntry.TUNED, "linear:Q8_0:2048x2048:T128")).as("other thread count").isEmpty();
        assertThat(again.lookup("other|abc|2cpu", 2, "v1", TunedEntry.TUNED, "linear:Q8_0:2048x2048:T128")).as("other CPU").isEmpty();
        assertThat(again.trials()).containsExactlyElementsOf(db.trials());
    }

    @Test
    void concurrentWritersMerge() {
        Path f = dir.resolve("db.json");
        TuningDb a = new TuningDb(f), b = new TuningDb(f);
        a.put(row("linear:Q8_0:64x64:T1", "jvm grain=8 tb=all", 500));
        b.put(row("linear:Q8_0:128x64:T1", "jvm grain=16 tb=all", 600));
        a.save();
        b.save();                      // must not drop a's row written after b was opened
        a.put(row("linear:Q8_0:64x64:T1", "jvm grain=16 tb=all", 400));
        a.save();                      // newest write of a key wins
        TuningDb c = new TuningDb(f);
        assertThat(c.entries()).hasSize(2);
        assertThat(c.lookup("cpu|abc|2cpu", 2, "v1", TunedEntry.TUNED, "linear:Q8_0:64x64:T1").orElseThrow().tunedNs()).isEqualTo(400);
    }

    @Test
    void corruptFileIsMovedAsideAndRebuilt() throws IOException {
        Path f = dir.resolve("db.json");
        Files.writeString(f, "{\"format\": 1, \"entries\": [ {\"cpu\": tru");
        TuningDb db = new TuningDb(f);
        assertThat(db.entries()).isEmpty();
        assertThat(dir.resolve("db.json.corrupt")).exists();
        assertThat(f).doesNotExist();
        db.put(row("linear:Q8_0:64x64:T1", "jvm grain=8 tb=all", 500));
        db.save();
        assertThat(new TuningDb(f).entries()).hasSize(1);
    }

    @Test
    void wrongFormatAndMalformedRowsAreNotTrusted() throws IOException {
        Path f = dir.resolve("db.json");
        Files.writeString(f, "{\"format\": 99, \"entries\": []}");
        assertThat(new TuningDb(f).entries()).isEmpty();
        assertThat(dir.resolve("db.json.corrupt")).exists();
        // a well-formed file with one good row, one with a negative time, one with a bad signature, one null
        String good = "{\"cpu\":\"c\",\"threads\":2,\"version\":\"v\",\"signature\":\"linear:Q8_0:64x64:T1\",\"source\":\"tuned\","
                + "\"schedule\":\"jvm grain=8 tb=all\",\"jvmSchedule\":\"jvm grain=8 tb=all\",\"defaultSchedule\":\"jvm grain=auto tb=all\","
                + "\"defaultNs\":10,\"tunedNs\":9,\"noise\":0.01,\"updated\":\"x\"}";
        Files.writeString(f, "{\"format\":1,\"entries\":[" + good + "," + good.replace("\"tunedNs\":9", "\"tunedNs\":-9") + ","
                + good.replace("linear:Q8_0:64x64:T1", "linear:Q8_0:64x64") + ",null]}");
        TuningDb db = new TuningDb(f);
        assertThat(db.entries()).hasSize(1);
        assertThat(db.entries().getFirst().tunedNs()).isEqualTo(9);
    }

    @Test
    void tornTrialLinesAreSkipped() throws IOException {
        Path f = dir.resolve("db.json");
        TuningDb db = new TuningDb(f);
        db.addTrial(trial("linear:Q8_0:64x64:T1", 0, 100));
        db.save();
        Files.writeString(dir.resolve("trials.jsonl"), "{\"run\":\"r\",\"cpu\":\"c\",\"thr\n", java.nio.file.StandardOpenOption.APPEND);
        List<Trial> ts = new TuningDb(f).trials();
        assertThat(ts).containsExactly(trial("linear:Q8_0:64x64:T1", 0, 100));
    }

    @Test
    void refusesToStoreMalformedRows() {
        TuningDb db = new TuningDb(null);
        assertThatThrownBy(() -> db.put(row("linear:Q8_0:64x64:T1", "jvm grain=8 tb=all", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
        db.put(row("linear:Q8_0:64x64:T1", "jvm grain=8 tb=all", 5));
        db.save(); // in memory: nothing to write, no error
        assertThat(db.entries()).hasSize(1);
    }
}
