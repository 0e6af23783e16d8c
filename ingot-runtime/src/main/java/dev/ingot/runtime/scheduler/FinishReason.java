package dev.ingot.runtime.scheduler;

/** Why a sequence stopped. */
public enum FinishReason {
    /** The caller signalled EOS or a stop string for the sampled token ({@link SampledTokens#stop()}). */
    STOP,
    /** {@code maxTokens} outputs, or the context reached {@code maxModelLen}. */
    LENGTH,
    /** {@link Scheduler#abort} (cancellation, client disconnect). */
    ABORT
}
