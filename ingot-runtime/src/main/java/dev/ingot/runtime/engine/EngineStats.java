package dev.ingot.runtime.engine;

import dev.ingot.runtime.exec.ModelRunner;

/**
 * A snapshot of the engine, taken by the engine thread after each step (so readers on other threads never
 * touch scheduler state).
 *
 * @param runningSeqs           sequences in the running batch
 * @param waitingSeqs           sequences waiting for admission (new and preempted)
 * @param liveRequests          requests submitted and not yet finished (including ones not yet seen by the scheduler)
 * @param kvBlocksUsed          KV blocks referenced by sequences
 * @param kvBlocksFree          KV blocks allocatable (includes evictable cached ones)
 * @param kvBlocksTotal         KV blocks in the pool
 * @param prefixCacheHitRate    prompt tokens served from the prefix cache / prompt tokens looked up, since start
 * @param preemptions           sequences preempted by recompute since start
 * @param steps                 scheduler steps since start
 * @param promptTokensPerSecond prompt (prefill) tokens computed per second over the recent window
 * @param genTokensPerSecond    tokens sampled per second over the recent window
 * @param finishedRequests      requests completed normally (stop or length)
 * @param abortedRequests       requests cancelled
 * @param failedRequests        requests failed by an error
 * @param compile               the model runner's program compiles and cache hits
 */
public record EngineStats(int runningSeqs, int waitingSeqs, int liveRequests, int kvBlocksUsed, int kvBlocksFree,
                          int kvBlocksTotal, double prefixCacheHitRate, long preemptions, long steps,
                          double promptTokensPerSecond, double genTokensPerSecond, long finishedRequests,
                          long abortedRequests, long failedRequests, ModelRunner.Stats compile) {}
