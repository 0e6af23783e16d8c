package dev.ingot.server;

/**
 * An error answered to the client in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 * Thrown anywhere in the HTTP layer; {@link IngotServer} turns it into the response.
 *
 * @see <a href="https://platform.openai.com/docs/guides/error-codes">OpenAI error codes</a>
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiError(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 {@code invalid_request_error} naming the offending parameter (may be null). */
    public static ApiError badRequest(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, null);
    }

    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "invalid_request_error", "The model `" + model + "` does not exist.", "model", "model_not_found");
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", message, null, "invalid_api_key");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
