package dev.ingot.runtime.engine;

import dev.ingot.runtime.scheduler.SchedulingPolicy;

/**
 * Serving limits and resources of one {@link Engine}. Immutable; {@link #builder()} fills defaults.
 *
 * @param maxBatchTokens tokens per step (decodes plus prefill chunks, the {@code T} of a forward pass);
 *                       at least {@code maxNumSeqs} so every running sequence can decode each step
 * @param maxNumSeqs     sequences running at once (a request with {@code n > 1} takes {@code n} seats)
 * @param kvBlocks       KV cache blocks of {@code LoadedModel.KV_BLOCK_SIZE} tokens; 0 = derive from
 *                       {@code kvBytes}, or when that is 0 too, room for {@code maxNumSeqs} full contexts
 *                       capped at {@link #DEFAULT_KV_BYTES}
 * @param kvBytes        KV memory budget in bytes when {@code kvBlocks} is 0 ({@code --kv-memory}); 0 = default
 * @param threads        worker-pool threads for the kernels; the engine thread itself also computes
 * @param prefixCaching  share the KV blocks of identical prompt prefixes across requests
 * @param policy         admission / preemption order ({@code PRIORITY} honours {@link GenerateRequest#priority()})
 * @param maxModelLen    context limit (prompt + output); 0 = the model's trained context
 * @param warmUp         compile every batch-size bucket in {@link Engine#start} so no request waits for a compile
 */
public record EngineConfig(int maxBatchTokens, int maxNumSeqs, int kvBlocks, long kvBytes, int threads,
                           boolean prefixCaching, SchedulingPolicy policy, int maxModelLen, boolean warmUp) {
    /** Default KV budget when neither blocks nor bytes are given. */
    public static final long DEFAULT_KV_BYTES = 2L << 30;

    public EngineConfig {
        if (maxNumSeqs < 1) throw new IllegalArgumentException("maxNumSeqs must be >= 1, got " + maxNumSeqs);
        if (maxBatchTokens < maxNumSeqs) {
            throw new IllegalArgumentException("maxBatchTokens (" + maxBatchTokens + ") must be >= maxNumSeqs (" + maxNumSeqs
                    + "): every running sequence must be able to decode in one step");
        }
        if (kvBlocks < 0) throw new IllegalArgumentException("kvBlocks must be >= 0 (0 = derive), got " + kvBlocks);
        if (kvBytes < 0) throw new IllegalArgumentException("kvBytes must be >= 0 (0 = default), got " + kvBytes);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (policy == null) throw new IllegalArgumentException("policy must be given");
        if (maxModelLen < 0 || maxModelLen == 1) throw new IllegalArgumentException("maxModelLen must be 0 (model's) or >= 2, got " + maxModelLen);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: 256 tokens per step, 16 sequences, derived KV size, all cores, prefix caching on, FCFS. */
    public static final class Builder {
        private int maxBatchTokens = 256, maxNumSeqs = 16, kvBlocks, maxModelLen;
        private long kvBytes;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean prefixCaching = true, warmUp = true;
        private SchedulingPolicy policy = SchedulingPolicy.FCFS;

        private Builder() {}

        public Builder maxBatchTokens(int v) { maxBatchTokens = v; return this; }
        public Builder maxNumSeqs(int v) { maxNumSeqs = v; return this; }
        public Builder kvBlocks(int v) { kvBlocks = v; return this; }
        public Builder kvBytes(long v) { kvBytes = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder prefixCaching(boolean v) { prefixCaching = v; return this; }
        public Builder policy(SchedulingPolicy v) { policy = v; return this; }
        public Builder maxModelLen(int v) { maxModelLen = v; return this; }
        public Builder warmUp(boolean v) { warmUp = v; return this; }

        public EngineConfig build() {
            return new EngineConfig(maxBatchTokens, maxNumSeqs, kvBlocks, kvBytes, threads, prefixCaching, policy, maxModelLen, warmUp);
        }
    }
}
