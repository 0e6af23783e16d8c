package dev.ingot.runtime.scheduler;

/**
 * A generation request as the scheduler sees it (token ids, no text).
 *
 * @param requestId      unique among live requests; the key for {@link Scheduler#abort} and outputs
 * @param promptTokenIds the prompt, at least one token, shorter than {@code maxModelLen}
 * @param n              parallel samples: the prompt is prefilled once, then forked into {@code n}
 *                       sequences sharing its blocks
 * @param maxTokens      output tokens per sequence before {@link FinishReason#LENGTH}
 * @param priority       for {@link SchedulingPolicy#PRIORITY}: smaller is served first
 * @param arrival        arrival time (any monotonic unit); ties are broken by submission order
 * @param cacheKey       prefix-cache namespace (model / adapter id / salt): only equal keys share blocks
 */
public record NewRequest(String requestId, int[] promptTokenIds, int n, int maxTokens, int priority, long arrival,
                         String cacheKey) {
    public NewRequest {
        if (requestId == null || requestId.isEmpty()) throw new IllegalArgumentException("requestId must be given");
        if (promptTokenIds == null || promptTokenIds.length == 0) throw new IllegalArgumentException(requestId + ": empty prompt");
        if (n < 1) throw new IllegalArgumentException(requestId + ": n must be >= 1: " + n);
        if (maxTokens < 1) throw new IllegalArgumentException(requestId + ": maxTokens must be >= 1: " + maxTokens);
        if (cacheKey == null) throw new IllegalArgumentException(requestId + ": cacheKey must not be null (use \"\")");
        promptTokenIds = promptTokenIds.clone();
    }

    /** FCFS request: n = 1, priority 0, default cache key. */
    public static NewRequest of(String requestId, int[] promptTokenIds, int maxTokens, long arrival) {
        return new NewRequest(requestId, promptTokenIds, 1, maxTokens, 0, arrival, "");
    }

    @Override
    public int[] promptTokenIds() {
        return promptTokenIds.clone();
    }
}
