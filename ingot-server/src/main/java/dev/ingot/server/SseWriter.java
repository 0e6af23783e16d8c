package dev.ingot.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events on a blocking response stream, flushed per event so tokens leave as they are made. A failed
 * write means the client went away: {@link #send} then returns false and every later send is skipped, and the
 * caller cancels the engine request.
 */
final class SseWriter {
    private final OutputStream out;
    private boolean broken;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code data: <payload>\n\n}; false once the connection is gone. */
    boolean send(String payload) {
        if (broken) return false;
        try {
            out.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            broken = true; // Jetty's EofException: the peer closed or reset the connection
            return false;
        }
    }

    boolean done() {
        return send("[DONE]");
    }
}
