package dev.ingot.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.attention.AttentionPlan;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The compile-time lookup of attention and fused schedules against a fake (in-memory) tuning database. */
class TunedSchedulesTest {
    static final CpuId CPU = new CpuId("test cpu", "f00", 2);

    static TunedEntry row(String sig, String schedule, String jvm, String version, int threads) {
        return new TunedEntry(CPU.key(), threads, version, sig, TunedEntry.TUNED, schedule, jvm, jvm, 100, 80, 0.01, "now");
    }

    @Test
    void fusedRowsAreUsedOnlyForTheirSignatureThreadsAndVersion() {
        TuningDb db = new TuningDb(null);
        KernelSignature sig = KernelSignature.fused("rms_norm", 768, 128);
        db.put(row(sig.text(), "rows grain=8", "rows grain=8", FusedSpace.version(), 2));
        db.put(row(KernelSignature.fused("swiglu", 768, 128).text(), "rows grain=3", "rows grain=3", FusedSpace.version(), 2)); // outside the space
        db.put(row(KernelSignature.fused("add", 768, 128).text(), "rows grain=8", "rows grain=8", "old-version", 2));
        TunedRows rows = new TunedRows(db, CPU);
        assertThat(FusedSpace.lookup(rows, sig, 2)).isEqualTo(new FusedSchedule(8));
        assertThat(FusedSpace.lookup(rows, sig, 1)).as("rows are per thread count").isEqualTo(FusedSchedule.SERIAL);
        assertThat(FusedSpace.lookup(rows, KernelSignature.fused("rms_norm", 768, 1), 2)).isEqualTo(FusedSchedule.SERIAL);
        // without a usable row: the default, which splits these 128-token calls (>= 512 KB moved) two claims per thread
        assertThat(FusedSpace.lookup(rows, KernelSignature.fused("swiglu", 768, 128), 2)).as("corrupt row skipped").isEqualTo(new FusedSchedule(32));
        assertThat(FusedSpace.lookup(rows, KernelSignature.fused("add", 768, 128), 2)).as("another code version").isEqualTo(new FusedSchedule(32));
    }

    @Test
    void aNativeRowFallsBackToItsJvmScheduleWhereNativeCannotRun() {
        TuningDb db = new TuningDb(null);
        KernelSignature sig = KernelSignature.attention(12, 12, 64, 16, 1, 1024);
        db.put(row(sig.text(), "native units=2 prefetch=2", "jvm units=1", AttentionSpace.version(), 2));
        TunedRows rows = new TunedRows(db, CPU);
        AttentionSpace jvmOnly = new AttentionSpace(2, false);
        Optional<AttentionSchedule> s = rows.tuned(sig, 2, AttentionSpace.version(), text -> {
            AttentionSchedule a = jvmOnly.parse(text);
            return a.nativeBackend() && !jvmOnly.nativeFor(sig) ? null : a;
        });
        assertThat(s).contains(AttentionSchedule.jvm(1));
    }

    @Test
    void attentionPlansHoldTunedSchedulesByContextBucket() {
        NativeBackend backend = NativeBackend.get();
        AttentionSpace here = AttentionSpace.here(2, backend);
        TuningDb db = new TuningDb(null);
        TunedRows rows = new TunedRows(db, CPU);
        AttentionPlan untuned = AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F32, 12, 12, 64, 16, 1, 2048, 2);
        assertThat(untuned.size()).isEqualTo(1);
        assertThat(untuned.label()).as("untuned: no label, the listing is unchanged").isEmpty();
        assertThat(untuned.callFor(100).unitsPerThread()).isEqualTo(4);
        assertThat(untuned.callFor(100).kernel().getClass()).isEqualTo(AttentionCalls.untuned(backend).kernel().getClass());

        KernelSignature c256 = KernelSignature.attention(12, 12, 64, 16, 1, 256), c1024 = KernelSignature.attention(12, 12, 64, 16, 1, 1024);
        db.put(row(c256.text(), "jvm units=0", "jvm units=0", AttentionSpace.version(), 2));
        db.put(row(c1024.text(), "jvm units=2", "jvm units=2", AttentionSpace.version(), 2));
        db.put(row(KernelSignature.attention(12, 12, 64, 16, 1, 4096).text(), "jvm units=1", "jvm units=1", AttentionSpace.version(), 2));
        AttentionPlan p = AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F32, 12, 12, 64, 16, 1, 2048, 2);
        assertThat(p.label()).isEqualTo("C<=256: jvm units=0; C<=1024: jvm units=2; C<=4096: jvm units=1");
        assertThat(p.callFor(1).unitsPerThread()).isZero();
        assertThat(p.callFor(257).unitsPerThread()).isEqualTo(2);
        assertThat(p.callFor(2048).unitsPerThread()).isEqualTo(1);
        assertThat(AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F32, 12, 12, 64, 16, 1, 200, 2).label())
                .as("a program whose context stays in the first bucket reads only that row").isEqualTo("C<=256: jvm units=0");
        assertThat(AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F32, 12, 12, 64, 16, 1, 2048, 1).size()).as("other thread count").isEqualTo(1);
        assertThat(AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F16, 12, 12, 64, 16, 1, 2048, 2).size())
                .as("an F16 cache is another signature: the F32 rows do not apply").isEqualTo(1);
        db.put(row(KernelSignature.attention(dev.ingot.tensor.DType.F16, 12, 12, 64, 16, 1, 256).text(), "jvm units=2", "jvm units=2", AttentionSpace.version(), 2));
        assertThat(AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F16, 12, 12, 64, 16, 1, 200, 2).label()).isEqualTo("C<=256: jvm units=2");
        if (here.nativeFor(c256)) {
            db.put(row(c256.text(), "native units=1 prefetch=0", "jvm units=0", AttentionSpace.version(), 2));
            assertThat(AttentionCalls.plan(rows, backend, dev.ingot.tensor.DType.F32, 12, 12, 64, 16, 1, 200, 2).callFor(1).kernel().toString()).endsWith("prefetch=0");
        }
    }
}
