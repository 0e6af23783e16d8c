package dev.ingot.runtime.kvcache;

/**
 * A copy-on-write order for the executor: copy every layer's K and V of block {@code src} into block
 * {@code dst} (see {@link KvStorage#copyBlock}) before the step's forward pass writes into {@code dst}.
 */
public record BlockCopy(int src, int dst) {}
