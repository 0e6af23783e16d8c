/**
 * Linear (matmul / matvec) kernels {@code y[t, n] = sum_k x[t, k] W[n, k] + bias[n]} against weights in
 * GGML block layouts, one class per weight dtype ({@code F32Linear} ... {@code Q6_KLinear}) and one scalar
 * twin ({@link dev.ingot.kernel.linear.ScalarLinear}) for all of them.
 *
 * <p>Weights are never expanded in memory: each SIMD kernel widens L bytes to L int/float lanes in
 * registers, unpacks nibbles/bits, applies the block scale with one FMA and FMAs against float
 * activations. Register tiles: 4 rows x 4 tokens for prefill (each dequantised weight vector feeds 4 FMAs,
 * 16 accumulators), 4 rows x 1 token for decode, 1 x 1 for tails. Why float and not int8 activations: the
 * Vector API has no VNNI/pmaddwd, so an int8 x int8 dot costs widen + multiply + widen-add per 16 lanes,
 * more uops than the widen + convert + FMA path (measured; see the module README section of the report).
 *
 * <p>{@link dev.ingot.kernel.linear.ParallelLinear} is the allocation-free parallel call site.
 */
package dev.ingot.kernel.linear;
