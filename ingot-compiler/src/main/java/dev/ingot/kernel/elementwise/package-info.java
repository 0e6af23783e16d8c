/**
 * Elementwise and normalisation kernels (RMSNorm, SwiGLU, residual add, softmax, RoPE in NORM and NEOX
 * layouts with optional frequency factors): the baseline the code generator calls or replaces with fused
 * code. {@link dev.ingot.kernel.elementwise.VectorElementwise} and its scalar twin
 * {@link dev.ingot.kernel.elementwise.ScalarElementwise}; angles come from a per-token
 * {@link dev.ingot.kernel.elementwise.RopeTable}.
 */
package dev.ingot.kernel.elementwise;
