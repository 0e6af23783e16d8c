/**
 * Model hyper-parameters independent of the file format: {@link dev.ingot.model.config.ModelConfig} (plain
 * record, validated on construction), read from GGUF metadata ({@code <arch>.*} keys, as llama.cpp's
 * {@code llm_load_hparams}) or from a Hugging Face {@code config.json}. Missing required keys and
 * unsupported architectures fail with a {@link dev.ingot.model.config.ModelConfigException} naming the
 * file and the key. {@link dev.ingot.model.config.ModelConfig#writeGguf} writes the same keys back.
 * {@link dev.ingot.model.config.RopeScaling#llama3Factors} computes Llama-3.1 rope factors exactly as
 * llama.cpp's converter stores them in {@code rope_freqs.weight}. Supported architectures: llama (rope NORM) and qwen2 (rope NEOX, Q/K/V biases).
 */
package dev.ingot.model.config;
