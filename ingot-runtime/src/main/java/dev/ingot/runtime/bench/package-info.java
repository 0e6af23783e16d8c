/** Benchmarks of the compiled model in the style of llama-bench (prompt processing and token generation). */
package dev.ingot.runtime.bench;
