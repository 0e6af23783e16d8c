/**
 * Architecture builders: turn a model's hyper-parameters and weights into the Graph IR of one forward pass.
 * The graph's inputs and outputs follow {@link dev.ingot.model.arch.ForwardSignature}; a model is built once with
 * symbolic batch sizes and never rebuilt per request. Shared layer builders live in
 * {@link dev.ingot.model.arch.Layers}; each architecture is a package ({@code model.llama}, {@code model.qwen2})
 * that maps its configuration to {@link dev.ingot.model.arch.DecoderParams}. Builders know nothing of kernels,
 * compilation or scheduling.
 */
package dev.ingot.model.arch;
