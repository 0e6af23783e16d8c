/**
 * The worker pool kernels run on: fixed threads sized to the cores, the caller participates, chunks of
 * consecutive indices claimed from one atomic counter, spin-then-park idling. See
 * {@link dev.ingot.kernel.parallel.WorkerPool} for the protocol.
 */
package dev.ingot.kernel.parallel;
