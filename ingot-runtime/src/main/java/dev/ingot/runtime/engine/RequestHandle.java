package dev.ingot.runtime.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The caller's side of one submitted request. Two ways to consume the stream, chosen at submission:
 * <ul>
 *   <li>pull: {@link #next()} / {@link #iterator()} block until the next {@link Chunk} (fine on virtual threads);
 *   <li>push: the callback given to {@link Engine#submit(GenerateRequest, Consumer)} receives every chunk on the
 *       engine thread (it must not block; a callback that throws cancels the request).
 * </ul>
 * Either way {@link #result()} / {@link #await()} give the final {@link GenerationResult}: cancelled requests
 * complete normally with {@code ABORT} choices; requests ended by an error complete exceptionally with a
 * {@link RequestFailedException}.
 *
 * <p>Threads: the engine thread is the only producer; any number of threads may call {@link #cancel()},
 * {@link #result()} and {@link #await()}; the pull methods are meant for one consumer thread.
 */
public final class RequestHandle implements Iterable<Chunk> {
    /** Queue marker of the end of the stream (normal, cancelled or failed). */
    private static final Object END = new Object();

    private final String id;
    private final int promptTokens;
    private final Engine engine;
    private final Consumer<Chunk> callback;
    private final LinkedBlockingQueue<Object> queue;
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private boolean ended; // consumer side: END was taken
    private boolean callbackFailed; // engine thread: the callback threw once; nothing more is delivered to it

    RequestHandle(String id, int promptTokens, Engine engine, Consumer<Chunk> callback) {
        this.id = id;
        this.promptTokens = promptTokens;
        this.engine = engine;
        this.callback = callback;
        this.queue = callback == null ? new LinkedBlockingQueue<>() : null;
    }

    public String id() {
        return id;
    }

    /** Tokens of the prompt after tokenization (known at submission). */
    public int promptTokens() {
        return promptTokens;
    }

    /**
     * Cancels the request (client disconnect): the engine aborts it at its next step, frees its KV blocks, and the
     * stream ends with {@code ABORT} chunks. Any thread; idempotent; a no-op once the request finished.
     */
    public void cancel() {
        if (!result.isDone()) engine.cancel(id);
    }

    public boolean isDone() {
        return result.isDone();
    }

    /** Completes with the final result (a copy: completing it does not affect the request). */
    public CompletableFuture<GenerationResult> result() {
        return result.copy();
    }

    /** Waits for the final result; throws {@link RequestFailedException} if the request failed. */
    public GenerationResult await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(id, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Like {@link #await()} but gives up after {@code timeout}. */
    public GenerationResult await(Duration timeout) throws TimeoutException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(id, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * The next chunk, blocking; null once the stream has ended normally or by cancellation. Throws
     * {@link RequestFailedException} when the request failed, and {@link IllegalStateException} for a
     * request submitted with a callback.
     */
    public Chunk next() {
        if (queue == null) throw new IllegalStateException("request " + id + " streams to its callback");
        if (ended) return null;
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException(id, "interrupted while waiting for the stream", e);
        }
        if (o != END) return (Chunk) o;
        ended = true;
        if (result.isCompletedExceptionally()) await(); // throws the failure
        return null;
    }

    /** Blocking iteration over {@link #next()}. */
    @Override
    public Iterator<Chunk> iterator() {
        return new Iterator<>() {
            private Chunk peeked;

            @Override
            public boolean hasNext() {
                if (peeked == null) peeked = RequestHandle.this.next();
                return peeked != null;
            }

            @Override
            public Chunk next() {
                if (!hasNext()) throw new NoSuchElementException();
                Chunk c = peeked;
                peeked = null;
                return c;
            }
        };
    }

    // ---- engine thread ----

    /** Delivers a chunk; returns false when the callback threw (the engine then cancels the request). */
    boolean publish(Chunk c) {
        if (callback == null) {
            queue.add(c);
            return true;
        }
        if (callbackFailed) return true; // already cancelled; the consumer is gone
        try {
            callback.accept(c);
            return true;
        } catch (RuntimeException e) {
            System.getLogger("dev.ingot.runtime.engine").log(System.Logger.Level.WARNING,
                    "callback of request " + id + " threw; cancelling it", e);
            callbackFailed = true;
            return false;
        }
    }

    void complete(GenerationResult r) {
        if (queue != null) queue.add(END);
        result.complete(r);
    }

    void fail(Throwable t) {
        if (queue != null) queue.add(END);
        result.completeExceptionally(t);
    }

    private RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RequestFailedException r) return r;
        return new RequestFailedException(id, String.valueOf(cause), cause);
    }
}
