package dev.ingot.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Tells whether the client of a request that is still being handled has hung up, for handlers that write nothing
 * until their work is done (non-streaming completions, embeddings), so the work can be cancelled.
 *
 * <p>Why probing is needed: Jetty 11 reads nothing from an HTTP/1.1 connection while a handler runs (the parser has
 * the whole request; it looks for the next one only after the response), and a blocked handler learns of a closed
 * socket only when it writes. Writing early (whitespace before the JSON) would commit the 200 status before the
 * outcome is known, so instead {@link #isGone()} does a non-blocking read on the connection's {@link EndPoint}:
 * {@code -1} (the peer's FIN) or an I/O error means the client left, as uvicorn tells vLLM. The body of a POST has
 * been read in full by then, and RFC 9112 §9.3.2 says a client must not pipeline behind a non-idempotent request, so
 * nothing legitimate is there to consume; bytes that do arrive are dropped and the connection is closed after the
 * response ({@link #strayBytes()}), so a misbehaving client cannot desynchronise it.
 *
 * <p>A client that half-closes its side (shutdown output) and still waits for the answer counts as gone, as in
 * vLLM; no common HTTP client does that. Only plain HTTP/1.x connections are probed: on HTTP/2 the endpoint carries
 * every stream of the connection, so reading it here would steal other requests' frames ({@link #isGone()} stays
 * false there). Ties this class to Jetty 11's server API (Javalin 6); nothing else in the server depends on Jetty.
 */
final class ClientConnection {
    /** How often a waiting handler probes; a gone client's request runs at most this much longer. */
    static final Duration POLL = Duration.ofMillis(100);

    private final EndPoint endPoint; // null: not probeable (not HTTP/1.x over Jetty)
    private boolean gone;
    private boolean strayBytes;

    private ClientConnection(EndPoint endPoint) {
        this.endPoint = endPoint;
    }

    static ClientConnection of(Context ctx) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base == null || base.getHttpChannel() == null) return new ClientConnection(null);
        boolean http1 = base.getHttpChannel().getConnection() instanceof HttpConnection;
        return new ClientConnection(http1 ? base.getHttpChannel().getEndPoint() : null);
    }

    /** True once the client has closed or reset the connection. Call from the handler's thread only. */
    boolean isGone() {
        if (gone || endPoint == null) return gone;
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) return gone = true;
        try {
            ByteBuffer probe = BufferUtil.allocate(64); // Jetty's flush-mode buffer: fill() appends after the limit
            int n = endPoint.fill(probe);
            if (n < 0) gone = true;
            else if (n > 0) strayBytes = true;
        } catch (IOException e) {
            gone = true; // connection reset
        }
        return gone;
    }

    /** Bytes arrived after the request (a pipelining client); the response should close the connection. */
    boolean strayBytes() {
        return strayBytes;
    }

    /**
     * Waits for {@code work}, probing the connection every {@link #POLL}; when the client is gone, runs
     * {@code onGone} once (it should cancel the work so {@code work} completes soon) and keeps waiting for the
     * outcome, so the caller sees the cancelled result and never returns with work still running.
     */
    <T> T await(CompletableFuture<T> work, Runnable onGone) throws ExecutionException {
        boolean cancelled = false;
        while (true) {
            try {
                return work.get(POLL.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!cancelled && isGone()) {
                    cancelled = true;
                    onGone.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onGone.run(); // the server is stopping this handler: let the work go too
                throw new ExecutionException("interrupted while waiting", e);
            }
        }
    }
}
