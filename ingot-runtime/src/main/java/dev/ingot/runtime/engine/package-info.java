/**
 * The serving engine: an embeddable API over the continuous-batching scheduler, the paged KV cache and the
 * compiled model runner. The OpenAI server is a thin layer over it; Java programs use it directly.
 *
 * <h2>API</h2>
 * {@link dev.ingot.runtime.engine.Engine#start} with an {@link dev.ingot.runtime.engine.EngineConfig};
 * {@link dev.ingot.runtime.engine.Engine#submit} a {@link dev.ingot.runtime.engine.GenerateRequest} (token ids or
 * text, {@code SamplingParams}, n, priority) and get a {@link dev.ingot.runtime.engine.RequestHandle}: a stream of
 * {@link dev.ingot.runtime.engine.Chunk}s per choice (blocking iterator, or a callback), {@code cancel()},
 * {@code await()} for the {@link dev.ingot.runtime.engine.GenerationResult} (choices, usage, timing).
 * {@link dev.ingot.runtime.engine.Engine#stats()} and an {@link dev.ingot.runtime.engine.EngineListener} feed metrics.
 * {@link dev.ingot.runtime.engine.EngineBench} measures aggregate tokens/s at several concurrencies (closed loop).
 *
 * <h2>Threads</h2>
 * One engine thread ({@link dev.ingot.runtime.engine.EngineLoop}) owns the scheduler, KV cache, model runner and
 * every per-request sampler; callers only exchange plain records with it through a FIFO inbox (submit, cancel,
 * shutdown) and the handles' queues / futures. Kernels run on the engine's worker pool. Validation and
 * tokenization run on the caller's thread, so a bad request is refused before it reaches the engine thread.
 *
 * <h2>Failures</h2>
 * Bad requests are refused by {@code submit} with an {@link java.lang.IllegalArgumentException} naming the value.
 * At run time an exception in the forward pass fails that step's requests, one in a request's sampling fails that
 * request, one anywhere else in a step fails every live request; the engine thread goes on serving in all three
 * cases (an {@link java.lang.Error} ends it, failing the live requests). Failed requests are left out of the
 * scheduler's {@code update} for that step, so K/V they wrote then never enters the prefix cache.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>every accepted request completes exactly once: normally (STOP/LENGTH), cancelled (ABORT, normal
 *       completion) or failed ({@link dev.ingot.runtime.engine.RequestFailedException});
 *   <li>a request's KV blocks are released by the scheduler no later than the step after it completes; with no
 *       live request every block of the pool is free (cached prefix blocks count as free: they are evictable);
 *   <li>a stop string or end-of-generation token is reported to the scheduler as a stop, so it frees the
 *       sequence's blocks at once; text never contains part of a stop string or half a UTF-8 character.
 * </ul>
 *
 * <h2>Context limits (as vLLM)</h2>
 * A prompt must leave room for one output token below {@code maxModelLen}. An explicit {@code maxTokens} that
 * does not fit the room left is rejected; the default ({@code Integer.MAX_VALUE}, "unlimited") is clipped to it.
 */
package dev.ingot.runtime.engine;
