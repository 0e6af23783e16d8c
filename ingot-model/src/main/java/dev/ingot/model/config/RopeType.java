package dev.ingot.model.config;

/**
 * How rotary position embedding pairs the dimensions of a head (llama.cpp's rope types).
 * NORM rotates adjacent pairs {@code (x[2i], x[2i+1])} (GGUF llama, whose Q/K rows were permuted by the
 * converter); NEOX rotates halves {@code (x[i], x[i + ropeDim/2])} (qwen2, and Hugging Face llama checkpoints
 * before their Q/K rows are permuted).
 */
public enum RopeType {
    NORM, NEOX
}
