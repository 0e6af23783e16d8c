package dev.ingot.tune;

import java.util.List;

/**
 * The schedule space of one kernel family. The search sees a schedule as one value index per {@link Gene};
 * {@link #decode} turns an index vector into a canonical schedule (parameters a signature cannot use are set
 * to one fixed value, so two index vectors that run the same code decode to equal schedules) or null where
 * the combination is invalid. {@link #features} is what the learned cost model sees.
 */
public interface ScheduleSpace<S extends Schedule> {
    String family();

    List<Gene> genes();

    /** The canonical schedule of {@code genes} (value indices, one per gene) for {@code sig}, or null if invalid. */
    S decode(KernelSignature sig, int[] genes);

    /** Value indices of {@code s} (inverse of {@link #decode} on canonical schedules). */
    int[] encode(S s);

    /**
     * What may run when nothing is tuned (one schedule per backend usable here, the first being the plain
     * default): the tuner measures them all, and a tuned schedule must beat the fastest.
     */
    List<S> defaults(KernelSignature sig);

    /** Inverse of {@link Schedule#text()}; IllegalArgumentException on text this space cannot run. */
    S parse(String text);

    /** Cost-model features of running {@code s} on {@code sig}; length {@link #featureNames()}.size(). */
    double[] features(KernelSignature sig, S s);

    List<String> featureNames();
}
