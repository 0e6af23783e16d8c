/**
 * BERT-style WordPiece tokenization read from a Hugging Face {@code tokenizer.json}, giving the ids, token type ids
 * and attention mask the {@code tokenizers} library gives for the same file.
 *
 * <p>Pipeline, in the library's order: added tokens written in the text ({@code [CLS]}, {@code [MASK]}, ...) are
 * split out first and kept whole; the rest goes through {@link dev.ingot.model.tokenizer.wordpiece.BertNormalizer}
 * (clean text, spaces around CJK ideographs, accent stripping, lower-casing),
 * {@link dev.ingot.model.tokenizer.wordpiece.BertPreTokenizer} (split on whitespace, punctuation isolated) and the
 * greedy longest-match-first WordPiece model ({@code ##} continuation prefix; a word that cannot be covered, or is
 * longer than {@code max_input_chars_per_word}, becomes {@code [UNK]}). The post-processor template
 * ({@code TemplateProcessing} or {@code BertProcessing}) then adds {@code [CLS]}/{@code [SEP]} and type ids, after
 * truncation to {@code truncation.max_length} leaves room for them.
 *
 * <p>Padding is a batch concern: {@link dev.ingot.model.tokenizer.wordpiece.WordPieceTokenizer#pad} pads a batch to
 * a length the caller picks (the file's {@code Fixed} length, or the longest in the batch, which gives the same
 * model outputs for the real tokens at less cost because padded positions are masked out of attention).
 */
package dev.ingot.model.tokenizer.wordpiece;
