/**
 * The OpenAI-compatible HTTP server: a thin layer over {@link dev.ingot.runtime.engine.Engine} (text generation) and
 * {@link dev.ingot.server.embed.EmbeddingService}s (embeddings); a server has either or both.
 *
 * <h2>Components</h2>
 * <ul>
 *   <li>{@link dev.ingot.server.IngotServer}: Javalin 6 on Jetty 11 with virtual threads; routes, API-key check,
 *       JSON error mapping (OpenAI's {@code {"error":{message,type,param,code}}} shape), lifecycle;
 *   <li>{@link dev.ingot.server.GenerationHandler}: {@code /v1/completions} and {@code /v1/chat/completions},
 *       streaming ({@link dev.ingot.server.StreamRelay}, SSE) and not; a batch of prompts is one engine request per
 *       prompt ({@link dev.ingot.server.EngineBatch}); disconnects cancel the engine requests;
 *   <li>{@link dev.ingot.server.EmbeddingHandler}: {@code /v1/embeddings}, each model served by its own
 *       {@code embed.EmbeddingService} (bounded queue, one worker thread, requests merged into shared passes);
 *   <li>{@link dev.ingot.server.ClientConnection}: notices a client that hung up while a handler waits without
 *       writing (non-streaming completions, embeddings);
 *   <li>{@code openai}: request JSON to plain records (sampling params, prompts, chat messages) and plain results
 *       back to response JSON; tool-call parsing;
 *   <li>{@code metrics}: Micrometer meters fed by the engine's listener and stats, scraped at {@code /metrics}.
 * </ul>
 *
 * <h2>Threading rule</h2>
 * Each HTTP request runs on its own virtual thread, which parses JSON, renders the chat template, tokenizes, and
 * blocks on the {@link dev.ingot.runtime.engine.RequestHandle}'s stream. Only plain records
 * ({@link dev.ingot.runtime.engine.GenerateRequest}, {@link dev.ingot.runtime.sample.SamplingParams}) reach the
 * engine; JSON and templates never cross into it. The engine thread calls back only into the metrics listener and,
 * for streams, into a queue the request's thread drains. Embeddings never touch the engine thread: tokenizing and
 * checking run on the request's thread, forward passes on the embedding model's own worker.
 *
 * <h2>Streaming</h2>
 * One SSE event per engine chunk that carries text or logprobs, then one with the finish reason, an optional
 * usage event ({@code stream_options.include_usage}) and {@code data: [DONE]}. A write that fails (the client
 * hung up) cancels the engine request, whose KV blocks are freed at the engine's next step. With {@code tools},
 * a choice's text is held until it finishes and then sent as content or as {@code tool_calls}, because a call
 * can only be recognised in the whole output.
 *
 * <h2>Disconnects without a write</h2>
 * A non-streaming request writes nothing until it ends, and Jetty 11 does not read an HTTP/1.1 connection while its
 * handler runs, so a client that hangs up is not noticed by itself. The waiting handler probes the connection every
 * 100 ms with a non-blocking read ({@link dev.ingot.server.ClientConnection}); end of stream or a reset cancels the
 * engine requests (KV blocks freed at the next step) or drops the embedding inputs not yet embedded.
 *
 * <h2>Why Javalin</h2>
 * Javalin is a small, actively maintained routing layer over Jetty (the most battle-tested Java HTTP server) and
 * runs handlers on virtual threads with one flag, so a blocking stream per request costs a few KB, not a
 * platform thread. It gives 405-vs-404 routing and exception mapping for free; Helidon SE 4 would also fit but
 * brings its own larger configuration model for what is here a handful of routes.
 */
package dev.ingot.server;
