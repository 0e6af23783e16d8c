package dev.ingot.runtime.engine;

/**
 * Metrics hook (e.g. the server's Micrometer histograms). Called on the engine thread: implementations must be
 * fast and must not block or call back into the engine; an exception is logged and otherwise ignored.
 */
public interface EngineListener {
    /** A request ended (finished, cancelled or failed); {@code result} is null when it failed. */
    default void onRequestFinished(String id, GenerationResult result, Throwable error) {}

    /** A step ran: tokens in the batch, sequences scheduled, nanoseconds for the whole step. */
    default void onStep(int batchTokens, int numSeqs, long nanos) {}
}
