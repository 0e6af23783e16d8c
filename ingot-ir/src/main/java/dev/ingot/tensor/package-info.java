/**
 * Tensor element types and their storage formats. {@link dev.ingot.tensor.DType} covers plain types and the
 * GGML block-quantised types; this package knows nothing of model files or graphs.
 */
package dev.ingot.tensor;
