/**
 * Embedding models behind {@code POST /v1/embeddings}: {@link dev.ingot.server.embed.EmbeddingService} queues
 * requests for one model of {@code dev.ingot.onnx.embed} and embeds them on its own worker thread.
 *
 * <h2>Scheduling</h2>
 * The worker takes the oldest request, adds every waiting request that still fits one pass's input bound, sorts all
 * their inputs by token length and runs them in forward passes of similar lengths (bounded in inputs, in padded
 * tokens, and by the model's own {@code maxBatch}: 1 for the quantised models, whose per-tensor dynamic quantisation
 * would let batch mates change a text's vector). While a pass runs, new requests queue and go together in the next
 * round: batching grows with load without any waiting window.
 *
 * <h2>Bounds and errors</h2>
 * Inputs are tokenized in full on the request's thread, so an input longer than the model's maximum (the
 * tokenizer.json's truncation length, else 512) is refused before anything is queued, as OpenAI refuses it (no
 * silent truncation). At most {@code maxQueuedInputs} inputs are admitted at once; beyond that a request is refused
 * at once (503 with {@code Retry-After}) rather than held in memory. A cancelled request's inputs that no pass has
 * taken yet are skipped.
 */
package dev.ingot.server.embed;
