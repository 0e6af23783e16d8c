package dev.ingot.runtime.scheduler;

/**
 * Scheduler limits.
 *
 * @param maxBatchTokens token budget per step: decode tokens plus prefill chunks (the {@code T} of the batch)
 * @param maxNumSeqs     most sequences running at once (a request with {@code n > 1} counts {@code n})
 * @param maxModelLen    context limit: a sequence finishes with {@link FinishReason#LENGTH} when its
 *                       prompt plus output reaches it; prompts must be shorter
 * @param policy         admission / preemption order
 */
public record SchedulerConfig(int maxBatchTokens, int maxNumSeqs, int maxModelLen, SchedulingPolicy policy) {
    public SchedulerConfig {
        if (maxBatchTokens < 1) throw new IllegalArgumentException("maxBatchTokens must be >= 1: " + maxBatchTokens);
        if (maxNumSeqs < 1) throw new IllegalArgumentException("maxNumSeqs must be >= 1: " + maxNumSeqs);
        // otherwise decodes beyond the budget would starve behind earlier ones every step (vLLM enforces this too)
        if (maxBatchTokens < maxNumSeqs) {
            throw new IllegalArgumentException("maxBatchTokens " + maxBatchTokens + " < maxNumSeqs " + maxNumSeqs
                    + ": every running sequence must be able to decode in one step");
        }
        if (maxModelLen < 2) throw new IllegalArgumentException("maxModelLen must be >= 2: " + maxModelLen);
        if (policy == null) throw new IllegalArgumentException("policy must be given");
    }

    public static SchedulerConfig fcfs(int maxBatchTokens, int maxNumSeqs, int maxModelLen) {
        return new SchedulerConfig(maxBatchTokens, maxNumSeqs, maxModelLen, SchedulingPolicy.FCFS);
    }
}
