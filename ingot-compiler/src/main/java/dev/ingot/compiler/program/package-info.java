/**
 * Compiled programs: a graph lowered for one shape bucket to a flat list of steps over one activation arena.
 * Matmul and attention call the kernel library ({@code dev.ingot.kernel}); norms, residual adds and SwiGLU run
 * as kernels generated from loop IR ({@code dev.ingot.codegen.jvm}); intermediates share the arena by liveness
 * ({@link dev.ingot.compiler.program.MemoryPlan}). A program serves every symbol value up to its bucket's bounds,
 * so no request waits for a compile once a bucket exists. Programs are stateful: one per executing thread.
 */
package dev.ingot.compiler.program;
