/**
 * Loop IR: the kernel-level IR between graph fusion and JVM code generation.
 *
 * <p>A {@link dev.ingot.compiler.loop.Kernel} has typed parameters and a body of statements:
 * <ul>
 *   <li>{@link dev.ingot.compiler.loop.Param.Arena}: a {@code float[]} plus an {@code int} base offset.
 *       All activations of a program live in one float arena; a buffer is a window into it, and
 *       {@code buf[i]} means {@code arena[off + i]}. Read/write.</li>
 *   <li>{@link dev.ingot.compiler.loop.Param.Ints}: an {@code int[]} plus offset (positions, block tables). Read-only.</li>
 *   <li>{@link dev.ingot.compiler.loop.Param.Weights}: a read-only little-endian f32 {@code MemorySegment}
 *       (model weights, memory-mapped). Index in floats.</li>
 *   <li>{@link dev.ingot.compiler.loop.Param.Scalar}: an int/long/float scalar; symbolic dimensions
 *       ({@code T}, {@code n}) are int scalars until {@link dev.ingot.compiler.loop.Rewrites#bind} folds them.</li>
 * </ul>
 *
 * <p>Integer index arithmetic ({@link dev.ingot.compiler.loop.Index}) is kept apart from float values
 * ({@link dev.ingot.compiler.loop.Expr}) so vectorisation legality is a question about indices only:
 * a loop marked {@code vector} is vectorised when every memory index in its body is affine in the loop
 * variable with coefficient 0 (broadcast), 1 (contiguous) or, on arenas, a small constant stride (gather and
 * scatter with a static index map). Otherwise code generation emits the scalar loop and says why at
 * {@code -Dingot.debug=3}. Vector loops hold only lets and stores; a
 * {@link dev.ingot.compiler.loop.Stmt.Reduce} is a loop with one float accumulator (sum, max, sum of squares)
 * whose body may also store (add + RMSNorm's sum of squares happen in the same pass as the residual store).
 *
 * <p>{@link dev.ingot.compiler.loop.Printer} gives a stable text form (golden-tested, also the cache key
 * input); {@link dev.ingot.compiler.loop.Verifier} checks names, scopes, types and write permissions.
 */
package dev.ingot.compiler.loop;
