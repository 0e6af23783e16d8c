/**
 * Linear (matmul / matvec) kernels {@code y[t, n] = sum_k x[t, k] W[n, k] + bias[n]} against weights in
 * GGML block layouts, one class per weight dtype ({@code F32Linear} ... {@code Q6_KLinear}) and one scalar
 * twin ({@link dev.ingot.kernel.linear.ScalarLinear}) for all of them.
 *
 * <p>Weights are never expanded in memory: each SIMD kernel widens L bytes to L int/float lanes in
 * registers, unpacks nibbles/bits, applies the block scale with one FMA and FMAs against float
 * activations. Register tiles: 2 rows x 4 tokens for prefill (each dequantised weight vector feeds 4 FMAs,
 * 8 accumulators), 4 rows x 1 token for decode (2 x 1 / 1 x 4 for the K-quants), 1 x 1 for tails.
 *
 * <p>Why float and not int8 activations (llama.cpp's way): the Vector API has no VNNI / pmaddwd, so an
 * int8 x int8 block dot costs widen (B2S) + 16-bit multiply + two S2I widenings + add per 32 lanes per
 * token, against 2 FMAs per token once the weight block is widened. Measured with
 * {@code bench.Int8VsFloatBench} (Q8_0 row, K = 4096, 4 tokens, one core of this Xeon, busy host): float
 * path 46-68 GFLOP/s, int8 path 8-10 GFLOP/s. A native VNNI/AMX backend would change this answer.
 *
 * <p>C2 constraints that shaped the code (each cost 10x when violated, caught by allocation counting in
 * {@code bench.LinearBench}): a tile method whose parse passes NodeCountInliningCutoff (18,000 nodes) leaves
 * vector helpers out of line and boxes their results, so tiles stay at <= 8 accumulators and K-quant side
 * data is read with a few wide scalar loads (every MemorySegment access is a large subgraph at parse time).
 *
 * <p>{@link dev.ingot.kernel.linear.ParallelLinear} is the allocation-free parallel call site.
 */
package dev.ingot.kernel.linear;
