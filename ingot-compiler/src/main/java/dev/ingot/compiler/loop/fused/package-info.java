/**
 * Hand-built loop IR for the fusion targets of LLM blocks: residual add + RMSNorm, SwiGLU, RoPE (NORM and
 * NEOX, computed or table cos/sin, llama3 frequency factors), row softmax, bias add and GELU. They prove
 * the loop IR and code generator on real patterns, are golden-tested as printed IR, and are what the
 * graph fusion pass lowers the same patterns to.
 *
 * <p>Row kernels take {@code T} (rows; tokens in the batch) and {@code n} (row length) as int parameters;
 * {@link dev.ingot.compiler.loop.Rewrites#bind} turns {@code n} into a constant for a known model.
 * Row {@code t} of a buffer is {@code buf[t*n .. t*n+n)}.
 */
package dev.ingot.compiler.loop.fused;
