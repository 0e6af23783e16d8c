/**
 * Tokenizers that reproduce llama.cpp's {@code llama_tokenize} / {@code llama_detokenize} token for token.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link dev.ingot.model.tokenizer.Tokenizer#fromGguf} reads {@code tokenizer.ggml.*} into a plain
 *       {@link dev.ingot.model.tokenizer.Vocabulary} (llama.cpp's defaults applied for missing keys) and picks the
 *       algorithm by {@code tokenizer.ggml.model}: {@code llama} = SentencePiece BPE with scores and byte fallback,
 *       {@code gpt2} = byte-level BPE with merge ranks and a pre-tokenizer chosen by {@code tokenizer.ggml.pre}
 *       (default, gpt-2, llama-bpe/llama3, qwen2, smollm/starcoder, falcon, dbrx/smaug-bpe, stablelm2,
 *       deepseek-coder, gpt-4o/llama4, tekken; any other name fails with the supported list rather than
 *       tokenizing differently from llama.cpp). gpt-2, llama-bpe, qwen2 and default/SPM are checked against
 *       llama.cpp's outputs; the others are ports of llama.cpp's expressions checked only for losslessness.</li>
 *   <li>Special tokens (CONTROL, UNKNOWN; USER_DEFINED always) written in the text are split out first,
 *       longest text first, when {@code parseSpecial}; the rest is tokenized per fragment.</li>
 *   <li>Decoding works on bytes: a token's bytes are its text with '▁' as space (SentencePiece), its byte
 *       ({@code <0xE3>}), or its GPT-2 byte alphabet mapped back; special tokens render only when asked.
 *       A {@link dev.ingot.model.tokenizer.StreamingDecoder} yields the same text split at whole characters.</li>
 *   <li>Tokenizers are immutable and thread-safe (the BPE word cache is concurrent); streaming decoders are not.</li>
 * </ul>
 */
package dev.ingot.model.tokenizer;
