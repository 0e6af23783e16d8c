/**
 * Synthetic models: random weights in the exact shapes, names and metadata llama.cpp uses for the
 * {@code llama} and {@code qwen2} architectures, so benchmarks are reproducible without downloads.
 *
 * <p>Pipeline: {@link dev.ingot.model.synth.SynthConfig} (a {@link dev.ingot.model.synth.Presets preset}
 * or {@code --dims}) -&gt; {@link dev.ingot.model.synth.SynthPlan} (tensor list, F32 for 1-D tensors, the
 * weight type with llama.cpp's fallback for rows that are not whole blocks) -&gt;
 * {@link dev.ingot.model.synth.SynthModel} (metadata + deterministic row encoder) -&gt;
 * {@link dev.ingot.model.synth.SynthWriter} (parallel, streaming GGUF output).
 *
 * <p>Values: weights N(0,1)*0.02, norm weights 1+N(0,1)*0.05, biases N(0,1)*0.1, where N is the
 * Irwin-Hall(4) approximation of {@link dev.ingot.model.synth.WeightRng}; each row has its own stream
 * seeded by (seed, tensor index, row), so a seed always gives the same bytes, on any number of threads.
 * {@code rope_freqs.weight} (Llama 3.1 scaling) is computed, not random. Tokenizer: copied
 * {@code tokenizer.*} keys from another GGUF, or the byte-level {@link dev.ingot.model.synth.FallbackVocab}.
 */
package dev.ingot.model.synth;
