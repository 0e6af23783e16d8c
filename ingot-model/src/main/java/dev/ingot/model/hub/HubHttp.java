package dev.ingot.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HTTP side of a download: one GET with redirects followed by hand (see the package doc for why),
 * the checksum and size headers collected on the way, and every failure turned into a message a user can act on.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HubConfig config;
    private final ModelCache cache;
    private final HttpClient client;

    HubHttp(HubConfig config, ModelCache cache) {
        this.config = config;
        this.cache = cache;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The final response of a GET, its body unread.
     *
     * @param url    the URL that answered (after redirects)
     * @param sha256 the announced sha256 of the whole file (lowercase hex), or null
     * @param size   the announced size of the whole file from {@code X-Linked-Size}, or -1
     */
    record Opened(HttpResponse<InputStream> response, URI url, String sha256, long size) {}

    /** GETs {@code ref}, from byte {@code from} on when it is positive. */
    Opened open(HfRef ref, long from) throws IOException {
        URI uri = ref.url(config.endpoint());
        String linkedEtag = null, firstEtag = null;
        long linkedSize = -1;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET()
                    .header("User-Agent", "ingot/" + version() + " (java " + Runtime.version().feature() + ")");
            if (from > 0) req.header("Range", "bytes=" + from + "-");
            // the token is for the hub only, never for the CDN a redirect points to
            if (config.token().isPresent() && sameOrigin(uri, config.endpoint())) {
                req.header("Authorization", "Bearer " + config.token().get());
            }
            HttpResponse<InputStream> r = send(req.build(), uri);
            HttpHeaders h = r.headers();
            if (linkedEtag == null) linkedEtag = h.firstValue("X-Linked-Etag").orElse(null);
            if (hop == 0) firstEtag = h.firstValue("ETag").orElse(null);
            if (linkedSize < 0) linkedSize = h.firstValueAsLong("X-Linked-Size").orElse(-1);
            int status = r.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                r.body().close();
                Optional<String> location = h.firstValue("Location");
                if (location.isEmpty()) throw new HubException("redirect " + status + " without a Location from " + uri);
                uri = uri.resolve(location.get()); // the hub sends relative Locations for renamed repositories
                continue;
            }
            // huggingface_hub: X-Linked-Etag (LFS files, on the hub's redirect), else the hub's own ETag;
            // only a 64-hex value is a sha256 (small files carry a git sha1, which we cannot check)
            String sha = sha256(linkedEtag != null ? linkedEtag : firstEtag);
            return new Opened(r, uri, sha, linkedSize);
        }
        throw new HubException("too many redirects (more than " + MAX_REDIRECTS + ") for " + ref);
    }

    private HttpResponse<InputStream> send(HttpRequest req, URI uri) throws IOException {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + uri + " interrupted");
        } catch (IOException e) {
            throw new HubException("cannot reach " + uri.getHost() + ": " + describe(e)
                    + "; are you offline? files already in the cache: " + cache.describe(10), e);
        }
    }

    /** The error for a status that is neither success nor redirect; the hub explains itself in X-Error-*. */
    HubException statusError(HfRef ref, Opened o) {
        HttpResponse<InputStream> r = o.response();
        try {
            r.body().close();
        } catch (IOException ignored) {
            // the connection is discarded anyway
        }
        int status = r.statusCode();
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String detail = r.headers().firstValue("X-Error-Message").map(m -> " (server: " + m + ")").orElse("");
        String repo = ref.owner() + "/" + ref.repo();
        String page = ref.repoPage(config.endpoint());
        boolean token = config.token().isPresent();
        String msg = switch (status) {
            case 401 -> code.equals("GatedRepo")
                    ? repo + " is gated: accept its terms at " + page + (token ? " with the account of HF_TOKEN" : " and set HF_TOKEN")
                    : token
                    ? "401 Unauthorized: HF_TOKEN was rejected for " + repo + " (is the token valid?), or the repository does not exist"
                    : "401 Unauthorized: " + repo + " does not exist, or it is private or gated; set HF_TOKEN to a token with read access";
            case 403 -> "403 Forbidden: no access to " + repo + (token ? " with this HF_TOKEN" : "")
                    + "; if the model is gated, accept its terms at " + page;
            case 404 -> switch (code) {
                case "RevisionNotFound" -> "revision '" + ref.revision() + "' not found in " + repo;
                case "RepoNotFound" -> "repository " + repo + " not found";
                default -> "file '" + ref.path() + "' not found in " + repo + " at revision '" + ref.revision()
                        + "' (check the owner, repository, path and revision)";
            };
            case 429 -> "429 Too Many Requests from " + o.url().getHost() + "; wait a little and run the command again";
            default -> "HTTP " + status + " from " + o.url();
        };
        return new HubException(msg + detail);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    /** An ETag value as a sha256, or null: strips the weak marker and quotes. */
    static String sha256(String etag) {
        if (etag == null) return null;
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        e = e.replace("\"", "").toLowerCase(Locale.ROOT);
        return SHA256.matcher(e).matches() ? e : null;
    }

    /** A short reason for a connection failure, from the most telling exception in the chain. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) return "host name not found (DNS)";
            if (t instanceof HttpConnectTimeoutException) return "connection timed out";
        }
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                connect = true;
                if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
            }
        }
        if (connect) return "connection refused"; // HttpClient often drops the OS message
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private static String version() {
        String v = HubHttp.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
