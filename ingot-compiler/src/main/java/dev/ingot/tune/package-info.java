/**
 * Autotuning: schedule spaces per kernel family, the compile-time lookup of tuned schedules, and (in the
 * subpackages) the search, the learned cost model and the tuning database.
 *
 * <p>Contract. A {@link dev.ingot.tune.KernelSignature} (family, op kind, dtype, the family's dims, token bucket
 * and, for attention, a context bucket) names what is tuned; a {@link dev.ingot.tune.Schedule} is plain data with a
 * stable text form, a point of its family's {@link dev.ingot.tune.ScheduleSpace}. Schedules change how work is
 * tiled, ordered and split over the worker pool and which backend runs it, never the arithmetic of a result beyond
 * which register tile computes it: every schedule of a space is tested against the scalar reference. Families:
 * <ul>
 *   <li>linear ({@link dev.ingot.tune.LinearSpace}): the JVM kernels (grain of the row split, token block), the
 *       native VNNI kernels (register tile rows x tokens, grain, AMX tiles), and the backend choice itself;</li>
 *   <li>paged attention ({@link dev.ingot.tune.AttentionSpace}): JVM or native kernel, work units per worker
 *       thread (0 = on the calling thread) and the native kernel's prefetch distance in blocks, per context
 *       bucket; a program's attention step carries one schedule per bucket ({@code AttentionPlan});</li>
 *   <li>fused row kernels ({@link dev.ingot.tune.FusedSpace}: rms_norm, add_rms_norm, swiglu, add): rows per
 *       claim of a worker split, or serial (the untuned default).</li>
 * </ul>
 *
 * <p>Compile time. {@code ProgramCompiler} asks {@link dev.ingot.tune.TunedLinear} for linears (tuning database
 * first, then the recorded JVM-vs-native selection, and only then a measurement, so with a warm database compiling
 * measures nothing), {@link dev.ingot.tune.AttentionCalls#plan} for attention and
 * {@link dev.ingot.tune.FusedSpace#lookup} for fused groups; all three read rows through
 * {@link dev.ingot.tune.TunedRows}, which re-checks every stored schedule. Without a row, attention and fused
 * steps are exactly what they were before their spaces existed.
 *
 * <p>Subpackages: {@code search} (the measuring {@link dev.ingot.tune.search.Tuner}, evolutionary breeding, the
 * real-machine measurers per family sharing one paired timing loop), {@code model} (gradient-boosted trees,
 * Spearman), {@code db} (the on-disk tuning database).
 */
package dev.ingot.tune;
