package dev.ingot.model.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where models come from and where they go.
 *
 * @param endpoint       the hub's base URL ({@code HF_ENDPOINT}, default {@code https://huggingface.co})
 * @param token          bearer token ({@code HF_TOKEN}), sent only to the endpoint's origin
 * @param modelsDir      the model cache ({@code $INGOT_CACHE/models}, default {@code ~/.cache/ingot/models})
 * @param connectTimeout how long to wait for a TCP/TLS connection before calling the hub unreachable
 * @param retries        how many times a download whose connection dropped mid-file resumes by itself
 * @param retryDelay     pause before the first retry; doubled for each further one
 */
public record HubConfig(URI endpoint, Optional<String> token, Path modelsDir, Duration connectTimeout,
                        int retries, Duration retryDelay) {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    public HubConfig {
        String scheme = endpoint.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL, got '" + endpoint + "'");
        }
        token = token.filter(t -> !t.isBlank()).map(String::strip);
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }

    /** From the process environment and {@code user.home}. */
    public static HubConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** From the given variables: {@code INGOT_CACHE}, {@code HF_ENDPOINT}, {@code HF_TOKEN}. */
    public static HubConfig fromEnvironment(Map<String, String> env, Path home) {
        String cache = env.get("INGOT_CACHE");
        Path models = cache != null && !cache.isBlank()
                ? Path.of(cache).resolve("models")
                : home.resolve(".cache").resolve("ingot").resolve("models");
        String endpoint = env.get("HF_ENDPOINT");
        URI uri = endpoint != null && !endpoint.isBlank() ? URI.create(endpoint.strip()) : DEFAULT_ENDPOINT;
        return new HubConfig(uri, Optional.ofNullable(env.get("HF_TOKEN")), models, Duration.ofSeconds(15),
                3, Duration.ofSeconds(1));
    }

    public HubConfig withEndpoint(URI e) {
        return new HubConfig(e, token, modelsDir, connectTimeout, retries, retryDelay);
    }

    public HubConfig withModelsDir(Path dir) {
        return new HubConfig(endpoint, token, dir, connectTimeout, retries, retryDelay);
    }

    public HubConfig withToken(String t) {
        return new HubConfig(endpoint, Optional.ofNullable(t), modelsDir, connectTimeout, retries, retryDelay);
    }

    public HubConfig withRetries(int n, Duration delay) {
        return new HubConfig(endpoint, token, modelsDir, connectTimeout, n, delay);
    }
}
