/**
 * Model-level quantisation policy: which GGUF tensors are quantised and to which type
 * ({@link dev.ingot.model.quant.QuantRecipe}, llama-quantize's rules by tensor name). The block formats
 * themselves live in {@code dev.ingot.tensor.quant}.
 */
package dev.ingot.model.quant;
