/**
 * Schedule search by measurement. {@link dev.ingot.tune.search.Tuner} spends a wall-clock budget over a list of
 * kernel signatures: defaults first (the baseline is the fastest of them), random seeds, then rounds of
 * evolutionary breeding ({@link dev.ingot.tune.search.Evolution}: tournament selection, uniform crossover,
 * +-1-step mutation of value indices, immigrants) ranked by the learned cost model, the top few measured.
 * Every candidate is timed paired with the baseline (alternating calls; the median ratio ranks it). Nothing
 * is installed unless a confirmation, the best candidate (failing that, the runner-up) paired with the baseline
 * again, shows a gain beyond the measured noise (and at least 3%). Real measurers, one per family
 * ({@link dev.ingot.tune.search.LinearMeasurer}, {@link dev.ingot.tune.search.AttentionMeasurer},
 * {@link dev.ingot.tune.search.FusedMeasurer}), run the program's own call sites and share the warm-up and
 * paired timing loop ({@code PairedTiming}). Measurements ({@link dev.ingot.tune.search.Measurement}) are
 * medians with a relative interquartile spread; {@link dev.ingot.tune.search.Measurer} is the seam tests use
 * for deterministic fake cost functions and fake clocks.
 */
package dev.ingot.tune.search;
