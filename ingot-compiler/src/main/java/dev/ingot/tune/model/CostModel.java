package dev.ingot.tune.model;

import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.Schedule;
import dev.ingot.tune.ScheduleSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The learned cost model: (kernel signature, schedule) -> predicted time, as gradient-boosted trees over the
 * space's features. The target is {@code log(ns / baselineNs)}, the time relative to the signature's untuned
 * baseline: what a schedule does to a kernel (a too-fine grain, a tile with token tails) carries over between
 * shapes better than absolute times do, and the search only needs ranks within one signature.
 */
public final class CostModel<S extends Schedule> {
    /** Fewer samples than this and the model abstains ({@link #trained()} false): the search samples randomly. */
    public static final int MIN_SAMPLES = 12;

    /** One measurement: {@code ns} for {@code schedule} on {@code sig}, whose baseline took {@code baselineNs}. */
    public record Sample<S>(KernelSignature sig, S schedule, double ns, double baselineNs) {}

    private final ScheduleSpace<S> space;
    private final GradientBoostedTrees.Options options;
    private final long seed;
    private GradientBoostedTrees model;

    public CostModel(ScheduleSpace<S> space, GradientBoostedTrees.Options options, long seed) {
        this.space = space;
        this.options = options;
        this.seed = seed;
    }

    public CostModel(ScheduleSpace<S> space, long seed) { this(space, GradientBoostedTrees.Options.defaults(), seed); }

    public void fit(List<Sample<S>> samples) {
        if (samples.size() < MIN_SAMPLES) {
            model = null;
            return;
        }
        double[][] x = new double[samples.size()][];
        double[] y = new double[samples.size()];
        for (int i = 0; i < x.length; i++) {
            Sample<S> s = samples.get(i);
            x[i] = space.features(s.sig(), s.schedule());
            y[i] = Math.log(s.ns() / s.baselineNs());
        }
        model = GradientBoostedTrees.fit(x, y, options, seed);
    }

    public boolean trained() { return model != null; }

    /** Predicted time relative to the baseline (1 = as fast); NaN when not trained. */
    public double predictRelative(KernelSignature sig, S s) {
        return model == null ? Double.NaN : Math.exp(model.predict(space.features(sig, s)));
    }

    /**
     * Spearman correlation between predicted and measured times on a random {@code holdOut} fraction of the
     * samples, the model fitted on the rest. NaN when there are too few samples.
     */
    public static <S extends Schedule> double holdOutSpearman(ScheduleSpace<S> space, List<Sample<S>> samples,
                                                              double holdOut, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Sample<S>> train = new ArrayList<>(), test = new ArrayList<>();
        for (Sample<S> s : samples) (r.nextDouble() < holdOut ? test : train).add(s);
        CostModel<S> m = new CostModel<>(space, seed);
        m.fit(train);
        if (!m.trained() || test.size() < 3) return Double.NaN;
        double[] p = new double[test.size()], a = new double[test.size()];
        for (int i = 0; i < p.length; i++) {
            Sample<S> s = test.get(i);
            p[i] = m.predictRelative(s.sig(), s.schedule()) * s.baselineNs();
            a[i] = s.ns();
        }
        return Spearman.of(p, a);
    }
}
