package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ingot.kernel.nativec.KernelSelector;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.tensor.DType;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile-time lookup: tuned rows first, then recorded selections, and a measurement only when the database has neither. */
class TunedLinearTest {
    @TempDir Path dir;
    static final CpuId CPU = new CpuId("test cpu", "f00", 2);

    @Test
    void measuresOnceThenReadsTheDatabase() {
        NativeBackend backend = NativeBackend.get();
        assumeTrue(backend.available(), "native backend off: " + backend.reason());
        Path f = dir.resolve("db.json");
        KernelSelector first = new KernelSelector(backend);
        LinearSchedule s = new TunedLinear(new TuningDb(f), first, CPU).schedule(DType.Q8_0, null, 64, 256, 8, 2);
        assertThat(first.choice(DType.Q8_0, 64, 256, 8)).as("measured").isPresent();
        TunedEntry row = new TuningDb(f).lookup(CPU.key(), 0, TunedLinear.version(), TunedEntry.SELECTED, "linear:Q8_0:64x256:T8").orElseThrow();
        assertThat(row.schedule()).isEqualTo(s.text());

        KernelSelector second = new KernelSelector(backend);
        assertThat(new TunedLinear(new TuningDb(f), second, CPU).schedule(DType.Q8_0, null, 64, 256, 8, 2)).isEqualTo(s);
        assertThat(second.choice(DType.Q8_0, 64, 256, 8)).as("a warm database measures nothing").isEmpty();
    }

    @Test
    void tunedRowsWinAndUnusableOnesAreSkipped() {
        NativeBackend backend = NativeBackend.get();
        Path f = dir.resolve("db.json");
        TuningDb db = new TuningDb(f);
        String sig = "linear:F16:64x256:T8";
        db.put(new TunedEntry(CPU.key(), 2, TunedLinear.version(), sig, TunedEntry.TUNED, "jvm grain=16 tb=all",
                "jvm grain=16 tb=all", "jvm grain=auto tb=all", 100, 80, 0.01, "now"));
        // a row whose schedule this build cannot run (F16 has no native kernel; the JVM fallback is corrupt too)
        db.put(new TunedEntry(CPU.key(), 2, TunedLinear.version(), "linear:F16:128x256:T8", TunedEntry.TUNED,
                "native tile=1x8 dtile=4 grain=auto", "jvm grain=13 tb=all", "jvm grain=auto tb=all", 100, 80, 0.01, "now"));
        db.save();
        KernelSelector sel = new KernelSelector(backend);
        TunedLinear t = new TunedLinear(new TuningDb(f), sel, CPU);
        assertThat(t.schedule(DType.F16, null, 64, 256, 8, 2)).isEqualTo(LinearSchedule.jvm(16, 0));
        assertThat(t.schedule(DType.F16, null, 64, 256, 8, 1)).as("rows are per thread count").isEqualTo(LinearSchedule.jvm(0, 0));
        assertThat(t.schedule(DType.F16, null, 128, 256, 8, 2)).isEqualTo(LinearSchedule.jvm(0, 0));
    }
}
