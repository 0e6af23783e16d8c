package dev.ingot.tune.search;

import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.Schedule;
import dev.ingot.tune.ScheduleSpace;
import dev.ingot.tune.model.CostModel;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Searches schedules for a list of signatures within a wall-clock budget, measuring on the real machine (or
 * whatever {@link Measurer} it is given) and guided by a learned {@link CostModel}:
 * <ol>
 *   <li>measure every default schedule of each signature (the baseline is the fastest), then a few random ones;</li>
 *   <li>rounds over the signatures until 85% of the budget is spent: refit the model on every measurement so far
 *       (plus prior ones from earlier runs), breed a population from the signature's best schedules
 *       ({@link Evolution}), let the model rank it, measure the top few and one random member;</li>
 *   <li>confirm: the best candidate (failing that, the runner-up) is measured against the baseline again, {@link Options#confirmRounds}
 *       times, and installed only if the median ratio beats 1 by more than the measured spread times
 *       {@link Options#noiseFactor} (and at least {@link Options#minGain}), and every round agrees; otherwise
 *       the baseline stays. A candidate is never installed unconfirmed.</li>
 * </ol>
 * Every measurement is paired with the baseline ({@link Measurer#measurePair}: alternating single calls) and
 * candidates are ranked by that time ratio, not by absolute time: on a shared machine the speed available to
 * a kernel swings by several times within seconds (measured here: a 2-core VM shared with other builds), and
 * only calls made back to back compare two schedules rather than two moments.
 * Before each measurement the tuner checks that the signature's typical measurement still fits the budget, so
 * the budget holds to within one measurement's estimate. Deterministic given a deterministic measurer and clock.
 */
public final class Tuner<S extends Schedule> {
    private static final System.Logger LOG = System.getLogger(Tuner.class.getName());
    /** Candidates confirmed per signature at most (best first) before the baseline is kept. */
    static final int CONFIRM_TRIES = 2;

    /**
     * @param budgetNs      wall-clock budget for the whole search, confirmation included
     * @param randomSeeds   random schedules measured per signature before the model has data
     * @param perRound      model-ranked candidates measured per signature per round (plus one random)
     * @param population    offspring bred per signature per round for the model to rank
     * @param confirmRounds paired baseline/candidate re-measurements in the confirmation
     * @param minGain       smallest relative gain installed, however quiet the machine
     * @param noiseFactor   a win must exceed noiseFactor x the measured relative noise
     */
    public record Options(long budgetNs, int randomSeeds, int perRound, int population, int confirmRounds,
                          double minGain, double noiseFactor, long seed) {
        public static Options of(long budgetNs, long seed) { return new Options(budgetNs, 3, 3, 300, 3, 0.03, 2.0, seed); }
    }

    /**
     * One measured candidate of a signature, in measurement order. {@code baselineNs}: the baseline's time it
     * is compared with, {@code ns / paired ratio} (so {@link #relative()} is the paired ratio);
     * {@code predictedNs}: the model's prediction made before measuring, NaN when the model did not pick it.
     */
    public record Step(int seq, String schedule, double ns, double noise, double baselineNs, double predictedNs, String phase) {
        public double relative() { return ns / baselineNs; }
    }

    /** Search progress for a UI: fraction of the budget used and a short status line. */
    @FunctionalInterface
    public interface Listener {
        void progress(double fraction, String status);
    }

    /** The outcome for one signature. {@code tuned} is the baseline when nothing beat it (then speedup = 1). */
    public record Result<S>(KernelSignature sig, S baseline, double baselineNs, S tuned, double tunedNs, double noise,
                            boolean improved, List<Step> steps) {
        public double speedup() { return baselineNs / tunedNs; }
    }

    private final ScheduleSpace<S> space;
    private final Measurer<S> measurer;
    private final Options o;
    private final LongSupplier clock;
    private final List<CostModel.Sample<S>> prior;
    private final SplittableRandom rnd;
    private final Evolution<S> evolution;
    private final CostModel<S> model;

    /** Per-signature search state. */
    private final class State {
        final KernelSignature sig;
        final Map<String, Double> measured = new LinkedHashMap<>(); // schedule text -> best time relative to the baseline
        final Map<String, S> schedules = new LinkedHashMap<>();
        final Set<String> failed = new HashSet<>();
        final List<Step> steps = new ArrayList<>();
        S baseline;
        double baselineNs = Double.NaN;
        long costNs; // running mean wall time of one (paired) measurement
        int measurements;

        State(KernelSignature sig) { this.sig = sig; }

        List<S> best(int k) {
            return measured.entrySet().stream().sorted(Comparator.comparingDouble(Map.Entry::getValue)).limit(k)
                    .map(e -> schedules.get(e.getKey())).toList();
        }

        void record(S s, double ns, double noise, double rel, double predicted, String phase) {
            if (!phase.equals("confirm")) measured.merge(s.text(), rel, Math::min);
            schedules.put(s.text(), s);
            steps.add(new Step(steps.size(), s.text(), ns, noise, ns / rel, predicted, phase));
        }
    }

    public Tuner(ScheduleSpace<S> space, Measurer<S> measurer, Options o, LongSupplier clock, List<CostModel.Sample<S>> prior) {
        this.space = space;
        this.measurer = measurer;
        this.o = o;
        this.clock = clock;
        this.prior = List.copyOf(prior);
        this.rnd = new SplittableRandom(o.seed());
        this.evolution = new Evolution<>(space, rnd);
        this.model = new CostModel<>(space, o.seed());
    }

    public Tuner(ScheduleSpace<S> space, Measurer<S> measurer, Options o) {
        this(space, measurer, o, System::nanoTime, List.of());
    }

    public List<Result<S>> tune(List<KernelSignature> sigs, Listener listener) {
        long start = clock.getAsLong(), end = start + o.budgetNs(), searchEnd = start + (long) (o.budgetNs() * 0.85);
        List<State> states = sigs.stream().map(State::new).toList();
        Listener l = (f, s) -> listener.progress(Math.min(1, (clock.getAsLong() - start) / (double) o.budgetNs()), s);
        for (State st : states) {
            if (!measureDefaults(st, searchEnd)) continue;
            for (int i = 0; i < o.randomSeeds(); i++) {
                S r = evolution.random(st.sig);
                if (r != null && !st.measured.containsKey(r.text())) measure(st, r, "seed", Double.NaN, searchEnd, l);
            }
        }
        boolean progress = true;
        while (progress && clock.getAsLong() < searchEnd) {
            progress = false;
            model.fit(samples(states));
            for (State st : states) {
                if (st.baseline == null) continue;
                Set<String> seen = new HashSet<>(st.measured.keySet());
                seen.addAll(st.failed);
                List<S> kids = evolution.offspring(st.sig, st.best(6), seen, o.population());
                if (kids.isEmpty()) continue;
                List<S> pick = new ArrayList<>();
                if (model.trained()) {
                    double[] pred = new double[kids.size()];
                    for (int i = 0; i < kids.size(); i++) pred[i] = model.predictRelative(st.sig, kids.get(i));
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < kids.size(); i++) order.add(i);
                    order.sort(Comparator.comparingDouble(i -> pred[i]));
                    for (int i = 0; i < Math.min(o.perRound(), order.size()); i++) {
                        S p = kids.get(order.get(i));
                        pick.add(p);
                        progress |= measure(st, p, "model", pred[order.get(i)], searchEnd, l);
                    }
                }
                S explore = kids.get(rnd.nextInt(kids.size()));
                if (!pick.contains(explore)) progress |= measure(st, explore, "explore", Double.NaN, searchEnd, l);
            }
        }
        List<Result<S>> out = new ArrayList<>();
        for (State st : states) {
            Result<S> r = confirm(st, end, l);
            if (r != null) out.add(r); // null: not even the defaults fitted in the budget
        }
        return out;
    }

    /**
     * The defaults: the first timed against each other one in pairs; the baseline is the fastest. False when
     * the budget is already spent or the first default cannot run.
     */
    private boolean measureDefaults(State st, long deadline) {
        List<S> ds = space.defaults(st.sig);
        if (clock.getAsLong() >= deadline) return false;
        S first = ds.getFirst();
        double[] rel = new double[ds.size()];
        double[] ns = new double[ds.size()], noise = new double[ds.size()];
        rel[0] = 1;
        try {
            long t0 = clock.getAsLong();
            if (ds.size() == 1) {
                Measurement m = measurer.measure(st.sig, first);
                ns[0] = m.ns();
                noise[0] = m.noise();
            }
            for (int i = 1; i < ds.size(); i++) {
                Measurer.Pair p = measurer.measurePair(st.sig, first, ds.get(i));
                ns[0] = p.a().ns();
                noise[0] = p.a().noise();
                rel[i] = p.ratio();
                ns[i] = p.b().ns();
                noise[i] = p.ratioNoise();
            }
            st.costNs = (clock.getAsLong() - t0) / Math.max(1, ds.size() - 1);
            st.measurements = 1;
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, st.sig + ": a default schedule cannot run here: " + e.getMessage());
            return false;
        }
        int b = 0;
        for (int i = 1; i < rel.length; i++) if (rel[i] < rel[b]) b = i;
        st.baseline = ds.get(b);
        st.baselineNs = ns[b];
        for (int i = 0; i < ds.size(); i++) st.record(ds.get(i), ns[i], noise[i], rel[i] / rel[b], Double.NaN, "default");
        return true;
    }

    /** Every measurement so far relative to its baseline, prior ones first. */
    private List<CostModel.Sample<S>> samples(List<State> states) {
        List<CostModel.Sample<S>> all = new ArrayList<>(prior);
        for (State st : states) {
            if (st.baseline == null) continue;
            st.measured.forEach((t, rel) -> all.add(new CostModel.Sample<>(st.sig, st.schedules.get(t), rel, 1)));
        }
        return all;
    }

    /**
     * Times {@code s} against the baseline (a paired measurement) if its estimated cost fits before
     * {@code deadline}; true when it did. {@code predicted}: the model's predicted ratio, NaN if none.
     */
    private boolean measure(State st, S s, String phase, double predicted, long deadline, Listener l) {
        long now = clock.getAsLong();
        if (now + st.costNs > deadline) return false;
        Measurer.Pair p;
        try {
            p = measurer.measurePair(st.sig, st.baseline, s);
        } catch (IllegalStateException e) {
            LOG.log(Level.DEBUG, () -> st.sig + ": " + s.text() + " cannot run here: " + e.getMessage());
            st.failed.add(s.text());
            return false;
        } finally {
            long spent = clock.getAsLong() - now;
            st.costNs = (st.costNs * st.measurements + spent) / (st.measurements + 1);
            st.measurements++;
        }
        st.record(s, p.b().ns(), p.ratioNoise(), p.ratio(), Double.isNaN(predicted) ? Double.NaN : predicted * p.b().ns() / p.ratio(), phase);
        l.progress(0, st.sig + " " + phase + " " + s.text());
        return true;
    }

    /**
     * Re-measures the best candidate against the baseline in {@link Options#confirmRounds} paired measurements;
     * installs it only when the median ratio beats 1 by more than the ratios' spread (times noiseFactor, at
     * least minGain) and no round has the candidate slower. If it fails, the runner-up gets the same test
     * (at most {@link #CONFIRM_TRIES} candidates).
     */
    private Result<S> confirm(State st, long end, Listener l) {
        if (st.baseline == null) return null;
        Result<S> kept = new Result<>(st.sig, st.baseline, st.baselineNs, st.baseline, st.baselineNs, 0, false, st.steps);
        // the search's best, then the runner-up: one noisy search measurement (another process took a core) must
        // not cost a signature its real win; each is confirmed on its own, the first that holds is installed
        List<S> candidates = st.best(CONFIRM_TRIES + 1).stream().filter(c -> !c.text().equals(st.baseline.text()))
                .limit(CONFIRM_TRIES).toList();
        for (S best : candidates) {
            if (clock.getAsLong() + (long) o.confirmRounds() * st.costNs > end) {
                LOG.log(Level.INFO, st.sig + ": no budget left to confirm " + best.text() + "; keeping the baseline");
                return kept;
            }
            Result<S> r = confirm(st, best, l);
            if (r.improved()) return r;
            kept = r;
        }
        return kept;
    }

    /** {@link Options#confirmRounds} paired re-measurements of {@code best} against the baseline. */
    private Result<S> confirm(State st, S best, Listener l) {
        double[] b = new double[o.confirmRounds()], ratio = new double[o.confirmRounds()];
        double noise = 0;
        for (int i = 0; i < o.confirmRounds(); i++) {
            Measurer.Pair p = measurer.measurePair(st.sig, st.baseline, best);
            b[i] = p.a().ns();
            ratio[i] = p.ratio();
            noise = Math.max(noise, p.ratioNoise());
            st.record(st.baseline, p.a().ns(), p.a().noise(), 1, Double.NaN, "confirm");
            st.record(best, p.b().ns(), p.ratioNoise(), p.ratio(), Double.NaN, "confirm");
        }
        double r = median(ratio), spread = Math.max(relSpread(ratio), noise / Math.sqrt(o.confirmRounds()));
        double margin = Math.max(o.minGain(), o.noiseFactor() * spread);
        boolean win = r < 1 - margin && java.util.Arrays.stream(ratio).allMatch(x -> x < 1);
        l.progress(0, st.sig + " confirm " + (win ? "installs " : "rejects ") + best.text());
        double bm = median(b);
        return win ? new Result<>(st.sig, st.baseline, bm, best, bm * r, spread, true, st.steps)
                : new Result<>(st.sig, st.baseline, bm, st.baseline, bm, spread, false, st.steps);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double relSpread(double[] v) {
        double lo = java.util.Arrays.stream(v).min().orElse(0), hi = java.util.Arrays.stream(v).max().orElse(0);
        return hi > 0 ? (hi - lo) / 2 / median(v) : 0;
    }
}
