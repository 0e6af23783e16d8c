/**
 * Autotuning: schedule spaces per kernel family, the compile-time lookup of tuned schedules, and (in the
 * subpackages) the search, the learned cost model and the tuning database.
 *
 * <p>Contract. A {@link dev.ingot.tune.KernelSignature} (family + dtype + N + K + token bucket) names what is
 * tuned; a {@link dev.ingot.tune.Schedule} is plain data with a stable text form, a point of its family's
 * {@link dev.ingot.tune.ScheduleSpace}. Schedules change how work is tiled, ordered and split over the worker
 * pool, never the arithmetic of a result beyond which register tile computes it: every schedule of a space is
 * tested against the scalar reference. The linear family ({@link dev.ingot.tune.LinearSpace}) covers the JVM
 * kernels (grain of the row split, token block) and the native VNNI kernels (register tile rows x tokens, L2
 * row block, grain), and the backend choice itself.
 *
 * <p>{@link dev.ingot.tune.TunedLinear} is what {@code ProgramCompiler} calls: tuning database first, then the
 * recorded JVM-vs-native selection, and only then a measurement, so with a warm database compiling measures
 * nothing. Attention has no schedule space yet: its only knob today, the (token, head) items a worker claims
 * at a time, is 1, and no other setting has been measured.
 *
 * <p>Subpackages: {@code search} (the measuring {@link dev.ingot.tune.search.Tuner}, evolutionary breeding, the
 * real-machine {@link dev.ingot.tune.search.LinearMeasurer}), {@code model} (gradient-boosted trees, Spearman),
 * {@code db} (the on-disk tuning database).
 */
package dev.ingot.tune;
