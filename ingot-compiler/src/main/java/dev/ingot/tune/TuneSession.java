package dev.ingot.tune;

import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.Trial;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import dev.ingot.tune.model.CostModel;
import dev.ingot.tune.model.Spearman;
import dev.ingot.tune.search.AttentionMeasurer;
import dev.ingot.tune.search.FusedMeasurer;
import dev.ingot.tune.search.LinearMeasurer;
import dev.ingot.tune.search.Measurer;
import dev.ingot.tune.search.Tuner;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code ingot tune} run over a model's kernel signatures of every family (linear, attention, fused):
 * real-machine measurements on the caller's pool, each family with its own space, measurer and cost model
 * (warmed with this CPU's earlier trials of that family), the budget shared between families in proportion to
 * their signatures. Results are written back as {@code tuned} rows (every signature gets one, the baseline
 * when nothing beat it, so compiling measures nothing afterwards) and the trials appended for later runs and reports.
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
     * @param holdOutSpearman each family's model refitted on a random 75% of every trial of this CPU and scored on
     *                       the rest, averaged over families weighted by their trials
     */
    public record Outcome(List<Row> rows, double onlineSpearman, int onlinePairs, double withinSpearman,
                          double holdOutSpearman, int samples) {}

    /** A family as a session tunes it. */
    private record Family<S extends Schedule>(ScheduleSpace<S> space, String version, Measurer<S> measurer) {}

    /** What one family's search added to the outcome. */
    private static final class Totals {
        final List<Row> rows = new ArrayList<>();
        final List<double[]> online = new ArrayList<>();
        double withinSum, holdOutSum;
        int withinSigs, holdOutSamples, samples;
    }

    /** @param weights the real weights of linear signatures (others get seeded random inputs) */
    public static Outcome run(List<KernelSignature> sigs, Map<KernelSignature, MemorySegment> weights, WorkerPool pool,
                              long budgetNs, TuningDb db, CpuId cpu, long seed, Tuner.Listener listener) {
        NativeBackend backend = NativeBackend.get();
        String run = Instant.now().toString();
        Totals t = new Totals();
        try (LinearMeasurer lm = new LinearMeasurer(pool, backend, weights::get); AttentionMeasurer am = new AttentionMeasurer(pool, backend);
             FusedMeasurer fm = new FusedMeasurer(pool)) {
            List<Family<?>> families = List.of(
                    new Family<>(LinearSpace.here(pool.threads(), backend), TunedLinear.version(), lm),
                    new Family<>(AttentionSpace.here(pool.threads(), backend), AttentionSpace.version(), am),
                    new Family<>(new FusedSpace(pool.threads()), FusedSpace.version(), fm));
            double done = 0;
            for (Family<?> f : families) {
                List<KernelSignature> mine = sigs.stream().filter(s -> s.family().equals(f.space().family())).toList();
                if (mine.isEmpty()) continue;
                double share = mine.size() / (double) sigs.size(), from = done;
                Tuner.Listener l = (x, s) -> listener.progress(from + x * share, s);
                tune(f, mine, pool.threads(), (long) (budgetNs * share), db, cpu, seed, run, l, backend, t);
                done += share;
            }
        }
        db.save();
        double on = Spearman.of(t.online.stream().mapToDouble(a -> a[0]).toArray(), t.online.stream().mapToDouble(a -> a[1]).toArray());
        return new Outcome(t.rows, on, t.online.size(), t.withinSigs == 0 ? Double.NaN : t.withinSum / t.withinSigs,
                t.holdOutSamples == 0 ? Double.NaN : t.holdOutSum / t.holdOutSamples, t.samples);
    }

    private static <S extends Schedule> void tune(Family<S> f, List<KernelSignature> sigs, int threads, long budgetNs, TuningDb db,
                                                  CpuId cpu, long seed, String run, Tuner.Listener listener, NativeBackend backend, Totals t) {
        ScheduleSpace<S> space = f.space();
        List<CostModel.Sample<S>> prior = samples(db.trials(), cpu.key(), threads, f.version(), space);
        List<Tuner.Result<S>> results = new Tuner<>(space, f.measurer(), Tuner.Options.of(budgetNs, seed), System::nanoTime, prior)
                .tune(sigs, listener);
        for (Tuner.Result<S> r : results) {
            List<Tuner.Step> picked = r.steps().stream().filter(s -> !Double.isNaN(s.predictedNs())).toList();
            double w = Spearman.of(picked.stream().mapToDouble(s -> s.predictedNs() / s.baselineNs()).toArray(),
                    picked.stream().mapToDouble(Tuner.Step::relative).toArray());
            if (picked.size() >= 5 && !Double.isNaN(w)) { t.withinSum += w; t.withinSigs++; }
            for (Tuner.Step s : r.steps()) {
                Double p = Double.isNaN(s.predictedNs()) ? null : s.predictedNs();
                db.addTrial(new Trial(run, cpu.key(), threads, f.version(), r.sig().text(), s.schedule(), s.seq(), s.ns(),
                        s.noise(), s.baselineNs(), p, s.phase()));
                if (p != null) t.online.add(new double[] {p, s.ns()});
            }
            var earlier = db.lookup(cpu.key(), threads, f.version(), TunedEntry.TUNED, r.sig().text());
            String jvm = jvmSchedule(r, earlier, space);
            if (!backend.available() && earlier.isPresent() && earlier.get().schedule().startsWith("native")) {
                // a JVM-only run (-Dingot.native=off) tunes the JVM slot and keeps the native winner of an earlier run
                TunedEntry e = earlier.get();
                db.put(new TunedEntry(e.cpu(), e.threads(), e.version(), e.signature(), e.source(), e.schedule(), jvm,
                        e.defaultSchedule(), e.defaultNs(), e.tunedNs(), e.noise(), Instant.now().toString()));
            } else {
                db.put(new TunedEntry(cpu.key(), threads, f.version(), r.sig().text(), TunedEntry.TUNED, r.tuned().text(), jvm,
                        r.baseline().text(), r.baselineNs(), r.tunedNs(), r.noise(), Instant.now().toString()));
            }
            t.rows.add(new Row(r.sig(), r.baseline().text(), r.baselineNs(), r.tuned().text(), r.tunedNs(), r.improved(), jvm, r.steps().size()));
        }
        List<CostModel.Sample<S>> all = samples(db.trials(), cpu.key(), threads, f.version(), space);
        double h = CostModel.holdOutSpearman(space, all, 0.25, seed);
        if (!Double.isNaN(h)) { t.holdOutSum += h * all.size(); t.holdOutSamples += all.size(); }
        t.samples += all.size();
    }

    /**
     * The JVM schedule to run when the native backend is off: the tuned one when the JVM won (confirmed), else
     * what an earlier JVM-only run ({@code -Dingot.native=off}) confirmed, else the family's JVM default. A JVM
     * candidate that was only measured while the native baseline won is never installed: it was not confirmed.
     */
    static <S extends Schedule> String jvmSchedule(Tuner.Result<S> r, Optional<TunedEntry> earlier, ScheduleSpace<S> space) {
        if (!r.tuned().nativeBackend()) return r.tuned().text();
        return earlier.map(TunedEntry::jvmSchedule).orElseGet(() -> space.defaults(r.sig()).stream()
                .filter(s -> !s.nativeBackend()).findFirst().orElseThrow().text());
    }

    /** Trials of this family, CPU, thread count and code version as cost-model samples (times relative to the baseline they were paired with). */
    static <S extends Schedule> List<CostModel.Sample<S>> samples(List<Trial> trials, String cpu, int threads, String version,
                                                                  ScheduleSpace<S> space) {
        List<CostModel.Sample<S>> out = new ArrayList<>();
        for (Trial t : trials) {
            if (!t.cpu().equals(cpu) || t.threads() != threads || !t.version().equals(version)
                    || t.phase().equals("confirm") || t.phase().equals("baseline")) continue;
            try {
                KernelSignature sig = KernelSignature.parse(t.signature());
                if (!sig.family().equals(space.family())) continue;
                out.add(new CostModel.Sample<>(sig, space.parse(t.schedule()), t.ns(), t.baselineNs()));
            } catch (IllegalArgumentException e) {
                // a trial of a schedule this space no longer has: not evidence about this space
            }
        }
        return out;
    }
}
