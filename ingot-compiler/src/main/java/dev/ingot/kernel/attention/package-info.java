/**
 * Paged attention over a per-layer F32 KV pool [numBlocks][blockSize][nKvHeads][headDim] (off-heap
 * {@link java.lang.foreign.MemorySegment}s, see {@link dev.ingot.kernel.attention.PagedKv}) with block tables
 * {@code int[S][B]}, per-token sequence index and position; causal, GQA, online softmax, parallel over
 * (token, head). {@link dev.ingot.kernel.attention.VectorAttention} and its scalar twin
 * {@link dev.ingot.kernel.attention.ScalarAttention}.
 */
package dev.ingot.kernel.attention;
