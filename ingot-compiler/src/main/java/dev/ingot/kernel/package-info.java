/**
 * The kernel library: hand-written Vector API kernels for the op families the compiler does not generate
 * itself (matmul against quantised weights, paged attention), the elementwise/norm baseline, the worker
 * pool and the memory bandwidth probe.
 *
 * <p>{@link dev.ingot.kernel.KernelProvider} is the single place that picks SIMD or scalar code. Every SIMD
 * kernel has a scalar twin with the same contract. {@link dev.ingot.kernel.Simd} fixes the species once.
 * Conventions everywhere: activations are {@code float[]} + int offsets (one arena array per program),
 * weights and KV pools are {@link java.lang.foreign.MemorySegment}s, nothing allocates per call.
 */
package dev.ingot.kernel;
