/** The {@code llama} architecture (Llama 2/3, SmolLM, Mistral-style): hyper-parameters and rope style. */
package dev.ingot.model.llama;
