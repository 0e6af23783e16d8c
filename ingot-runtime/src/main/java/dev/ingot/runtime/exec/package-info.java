/**
 * The executor: runs a model's compiled forward programs on the scheduler's flattened batches
 * ({@link dev.ingot.runtime.scheduler.FlatBatch}) against the paged KV storage. Owns the shape-bucket program
 * cache; knows nothing of HTTP, tokenizers or sampling.
 */
package dev.ingot.runtime.exec;
