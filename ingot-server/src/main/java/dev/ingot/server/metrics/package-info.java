/**
 * Prometheus metrics of the server and engine, through Micrometer.
 *
 * <p>Two sources: gauges read {@link dev.ingot.runtime.engine.Engine#stats()} (a snapshot the engine thread
 * publishes after every step, so scraping never touches scheduler state), and counters / histograms are fed by
 * {@link dev.ingot.runtime.engine.EngineListener#onRequestFinished} on the engine thread, which only records
 * numbers (Micrometer meters are lock-free enough for that). Names follow vLLM's where it has one, with the
 * {@code ingot_} prefix; latency histograms use fixed buckets so they aggregate across instances.
 */
package dev.ingot.server.metrics;
