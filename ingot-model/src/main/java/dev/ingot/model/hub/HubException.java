package dev.ingot.model.hub;

import java.io.IOException;

/** A download or resolution failure whose message is meant for the user as is (the CLI prints it). */
public class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
