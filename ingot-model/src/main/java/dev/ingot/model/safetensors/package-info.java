/**
 * Hugging Face checkpoints: {@link dev.ingot.model.safetensors.SafetensorsFile} (one memory-mapped
 * {@code .safetensors} file; header layout and checks in {@code SafetensorsHeader}),
 * {@link dev.ingot.model.safetensors.SafetensorsCheckpoint} (a file or a directory, sharded through
 * {@code model.safetensors.index.json}), and the HF-to-GGUF tensor naming with the llama Q/K row
 * permutation ({@link dev.ingot.model.safetensors.HfTensorNames},
 * {@link dev.ingot.model.safetensors.QkPermutation}), a writer
 * ({@link dev.ingot.model.safetensors.SafetensorsWriter}) and a lossless HF-to-GGUF converter
 * ({@link dev.ingot.model.safetensors.HfToGguf}: same weight types and bytes, GGUF names, llama Q/K rows
 * permuted, llama3 rope factors as {@code rope_freqs.weight}). The matching {@code config.json} reader is
 * {@link dev.ingot.model.config.ModelConfig#fromHfConfig}. Malformed files fail with a
 * {@link dev.ingot.model.safetensors.SafetensorsFormatException} naming the file and the problem.
 */
package dev.ingot.model.safetensors;
