package dev.ingot.model.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hub and a CDN on loopback, close enough to huggingface.co for the client: a small file served directly
 * with its sha256 as ETag ({@code o/r/model.gguf}), a large file that redirects to the CDN with
 * {@code X-Linked-Etag}/{@code X-Linked-Size} on the redirect ({@code o/r/sub/dir/big.gguf}), a gated repo
 * ({@code o/gated/...}: 401) and 404 for everything else. Ranges are honoured unless told otherwise, and the
 * first responses can be cut after a number of bytes to simulate a dropped connection.
 */
final class FakeHub implements AutoCloseable {
    /** One request as the server saw it. */
    record Seen(String server, String path, String range, String authorization) {}

    final byte[] content;
    final String sha256;
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final HttpServer hub;
    private final HttpServer cdn;

    volatile int cutResponses;          // how many of the next body responses to cut
    volatile long cutAfter;             // bytes of body sent before cutting
    volatile boolean ignoreRange;       // answer 200 with the whole file even to a Range request
    volatile String announcedSha;       // what ETag / X-Linked-Etag claim (default: the real sha256)
    volatile long announcedSize = -1;   // X-Linked-Size override

    FakeHub(byte[] content) throws IOException {
        this.content = content;
        this.sha256 = sha256Hex(content);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", this::hub);
        cdn.createContext("/", ex -> serve(ex, "cdn", "\"cdn-etag-1\""));
        // handlers on their own threads: a handler blocked writing to a client that gave up must not hold the server
        hub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(daemon()));
        cdn.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(daemon()));
        hub.start();
        cdn.start();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        };
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    private void hub(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String sha = announcedSha != null ? announcedSha : sha256;
        if (path.equals("/o/r/resolve/main/model.gguf")) {
            serve(ex, "hub", "\"" + sha + "\"");
        } else if (path.equals("/o/r/resolve/main/sub/dir/big.gguf")) {
            record(ex, "hub");
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
            ex.getResponseHeaders().add("X-Linked-Size",
                    Long.toString(announcedSize >= 0 ? announcedSize : content.length));
            ex.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef01234567\""); // a git sha1
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/big");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        } else if (path.startsWith("/o/gated/")) {
            error(ex, 401, "GatedRepo", "Access to model o/gated is restricted.");
        } else {
            error(ex, 404, "EntryNotFound", "Entry not found");
        }
    }

    private void error(HttpExchange ex, int status, String code, String message) throws IOException {
        record(ex, "hub");
        ex.getResponseHeaders().add("X-Error-Code", code);
        ex.getResponseHeaders().add("X-Error-Message", message);
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private void serve(HttpExchange ex, String server, String etag) throws IOException {
        record(ex, server);
        String range = ex.getRequestHeaders().getFirst("Range");
        long from = 0;
        int status = 200;
        if (range != null && !ignoreRange) {
            from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            if (from >= content.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        ex.getResponseHeaders().add("ETag", etag);
        int len = (int) (content.length - from);
        ex.sendResponseHeaders(status, len);
        OutputStream out = ex.getResponseBody();
        if (cutResponses > 0) {
            cutResponses--;
            out.write(content, (int) from, (int) Math.min(len, cutAfter));
            out.flush();
            // throwing makes the server drop the connection with the body short of its Content-Length
            throw new IOException("test server cuts the connection");
        }
        out.write(content, (int) from, len);
        ex.close();
    }

    private void record(HttpExchange ex, String server) {
        requests.add(new Seen(server, ex.getRequestURI().getRawPath(), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }
}
