package dev.ingot.runtime.engine;

/** A request ended by an error (a failed step, a sampler error, a closed engine); the cause says which. */
public final class RequestFailedException extends RuntimeException {
    private final String requestId;

    public RequestFailedException(String requestId, String message, Throwable cause) {
        super("request " + requestId + ": " + message, cause);
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
