package dev.ingot.server;

/**
 * How the HTTP server listens and identifies its model.
 *
 * @param host      address to bind (127.0.0.1 keeps it local)
 * @param port      TCP port; 0 picks a free one ({@link IngotServer#port()} tells which)
 * @param apiKey    when non-null, {@code /v1/*} requires {@code Authorization: Bearer <apiKey>}
 * @param modelName the generation model's id, served at {@code /v1/models} and accepted in the {@code model} field;
 *                  null for a server of embedding models only (they carry their own names)
 */
public record ServerConfig(String host, int port, String apiKey, String modelName) {
    public ServerConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must be given");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        if (modelName != null && modelName.isBlank()) throw new IllegalArgumentException("model name must not be blank");
        if (apiKey != null && apiKey.isEmpty()) apiKey = null;
    }
}
