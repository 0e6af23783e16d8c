/** The {@code qwen2} architecture (Qwen2, Qwen2.5): QKV biases and NEOX rope over the shared decoder. */
package dev.ingot.model.qwen2;
