package dev.ingot.tune;

import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.Trial;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import dev.ingot.tune.model.CostModel;
import dev.ingot.tune.model.Spearman;
import dev.ingot.tune.search.LinearMeasurer;
import dev.ingot.tune.search.Tuner;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code ingot tune} run over linear signatures: real-machine measurements on the caller's pool, the
 * cost model warmed with this CPU's earlier trials from the database, results written back as {@code tuned}
 * rows (every signature gets one, the baseline when nothing beat it, so compiling measures nothing
 * afterwards) and the trials appended for later runs and reports.
 */
public final class TuneSession {
    private TuneSession() {}

    /** One signature's outcome; times in ns per call. {@code jvmSchedule} is what runs with the native backend off. */
    public record Row(KernelSignature sig, String baseline, double baselineNs, String tuned, double tunedNs,
                      boolean improved, String jvmSchedule, int trials) {
        public double speedup() { return baselineNs / tunedNs; }
    }

    /**
     * @param onlineSpearman rank correlation between the model's predictions and the measurements of the
     *                       candidates it picked, each predicted before it was measured (held out by construction)
     * @param withinSpearman the same per signature (times relative to the baseline they were paired with), averaged over
     *                       signatures with at least 5 such candidates: how well it ranks schedules of one kernel
     * @param holdOutSpearman the model refitted on a random 75% of every trial of this CPU and scored on the rest
     */
    public record Outcome(List<Row> rows, double onlineSpearman, int onlinePairs, double withinSpearman,
                          double holdOutSpearman, int samples) {}

    public static Outcome run(List<KernelSignature> sigs, Map<KernelSignature, MemorySegment> weights, WorkerPool pool,
                              long budgetNs, TuningDb db, CpuId cpu, long seed, Tuner.Listener listener) {
        NativeBackend backend = NativeBackend.get();
        LinearSpace space = LinearSpace.here(pool.threads(), backend);
        String version = TunedLinear.version(), run = Instant.now().toString();
        List<CostModel.Sample<LinearSchedule>> prior = samples(db.trials(), cpu.key(), pool.threads(), version, space);
        List<Tuner.Result<LinearSchedule>> results;
        try (LinearMeasurer m = new LinearMeasurer(pool, backend, weights::get)) {
            results = new Tuner<>(space, m, Tuner.Options.of(budgetNs, seed), System::nanoTime, prior).tune(sigs, listener);
        }
        List<Row> rows = new ArrayList<>();
        List<double[]> online = new ArrayList<>();
        double withinSum = 0;
        int withinSigs = 0;
        for (Tuner.Result<LinearSchedule> r : results) {
            List<Tuner.Step> picked = r.steps().stream().filter(s -> !Double.isNaN(s.predictedNs())).toList();
            double w = Spearman.of(picked.stream().mapToDouble(s -> s.predictedNs() / s.baselineNs()).toArray(),
                    picked.stream().mapToDouble(Tuner.Step::relative).toArray());
            if (picked.size() >= 5 && !Double.isNaN(w)) { withinSum += w; withinSigs++; }
            for (Tuner.Step s : r.steps()) {
                Double p = Double.isNaN(s.predictedNs()) ? null : s.predictedNs();
                db.addTrial(new Trial(run, cpu.key(), pool.threads(), version, r.sig().text(), s.schedule(), s.seq(), s.ns(),
                        s.noise(), s.baselineNs(), p, s.phase()));
                if (p != null) online.add(new double[] {p, s.ns()});
            }
            var earlier = db.lookup(cpu.key(), pool.threads(), version, TunedEntry.TUNED, r.sig().text());
            String jvm = jvmSchedule(r, earlier);
            if (!backend.available() && earlier.isPresent() && earlier.get().schedule().startsWith("native")) {
                // a JVM-only run (-Dingot.native=off) tunes the JVM slot and keeps the native winner of an earlier run
                TunedEntry e = earlier.get();
                db.put(new TunedEntry(e.cpu(), e.threads(), e.version(), e.signature(), e.source(), e.schedule(), jvm,
                        e.defaultSchedule(), e.defaultNs(), e.tunedNs(), e.noise(), Instant.now().toString()));
            } else {
                db.put(new TunedEntry(cpu.key(), pool.threads(), version, r.sig().text(), TunedEntry.TUNED, r.tuned().text(), jvm,
                        r.baseline().text(), r.baselineNs(), r.tunedNs(), r.noise(), Instant.now().toString()));
            }
            rows.add(new Row(r.sig(), r.baseline().text(), r.baselineNs(), r.tuned().text(), r.tunedNs(), r.improved(), jvm, r.steps().size()));
        }
        db.save();
        double on = Spearman.of(online.stream().mapToDouble(a -> a[0]).toArray(), online.stream().mapToDouble(a -> a[1]).toArray());
        List<CostModel.Sample<LinearSchedule>> all = samples(db.trials(), cpu.key(), pool.threads(), version, space);
        return new Outcome(rows, on, online.size(), withinSigs == 0 ? Double.NaN : withinSum / withinSigs,
                CostModel.holdOutSpearman(space, all, 0.25, seed), all.size());
    }

    /**
     * The JVM schedule to run when the native backend is off: the tuned one when the JVM won (confirmed), else
     * what an earlier JVM-only run ({@code -Dingot.native=off}) confirmed, else the JVM default. A JVM candidate
     * that was only measured while the native baseline won is never installed: it was not confirmed.
     */
    static String jvmSchedule(Tuner.Result<LinearSchedule> r, java.util.Optional<TunedEntry> earlier) {
        if (!r.tuned().nativeBackend()) return r.tuned().text();
        return earlier.map(TunedEntry::jvmSchedule).orElse(LinearSchedule.jvm(0, 0).text());
    }

    /** Trials of this CPU, thread count and code version as cost-model samples (times relative to the baseline they were paired with). */
    static List<CostModel.Sample<LinearSchedule>> samples(List<Trial> trials, String cpu, int threads, String version, LinearSpace space) {
        List<CostModel.Sample<LinearSchedule>> out = new ArrayList<>();
        for (Trial t : trials) {
            if (!t.cpu().equals(cpu) || t.threads() != threads || !t.version().equals(version)
                    || t.phase().equals("confirm") || t.phase().equals("baseline")) continue;
            try {
                out.add(new CostModel.Sample<>(KernelSignature.parse(t.signature()), space.parse(t.schedule()), t.ns(), t.baselineNs()));
            } catch (IllegalArgumentException e) {
                // a trial of a schedule this space no longer has: not evidence about this space
            }
        }
        return out;
    }
}
