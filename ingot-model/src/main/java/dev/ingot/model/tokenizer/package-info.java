/**
 * Tokenizers that reproduce llama.cpp's {@code llama_tokenize} / {@code llama_detokenize} token for token.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link dev.ingot.model.tokenizer.Tokenizer#fromGguf} reads {@code tokenizer.ggml.*} into a plain
 *       {@link dev.ingot.model.tokenizer.Vocabulary} (llama.cpp's defaults applied for missing keys) and picks the
 *       algorithm by {@code tokenizer.ggml.model}: {@code llama} = SentencePiece BPE with scores and byte fallback,
 *       {@code gpt2} = byte-level BPE with merge ranks and a pre-tokenizer chosen by {@code tokenizer.ggml.pre}
 *       (gpt-2 family, default, llama-bpe/llama3 family, qwen2 family, smollm/starcoder family; any other name
 *       fails with the supported list rather than tokenizing differently from llama.cpp).</li>
 *   <li>Special tokens (CONTROL, UNKNOWN; USER_DEFINED always) written in the text are split out first,
 *       longest text first, when {@code parseSpecial}; the rest is tokenized per fragment.</li>
 *   <li>Decoding works on bytes: a token's bytes are its text with '▁' as space (SentencePiece), its byte
 *       ({@code <0xE3>}), or its GPT-2 byte alphabet mapped back; special tokens render only when asked.
 *       A {@link dev.ingot.model.tokenizer.StreamingDecoder} yields the same text split at whole characters.</li>
 *   <li>Tokenizers are immutable and thread-safe (the BPE word cache is concurrent); streaming decoders are not.</li>
 * </ul>
 */
package dev.ingot.model.tokenizer;
