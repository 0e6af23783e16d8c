package dev.ingot.onnx.embed;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Downloads a jar from a Maven repository, checks it against the {@code .sha1} the repository publishes, and
 * unpacks chosen entries. Files appear only under their final names once complete (written to a temporary name,
 * then moved), so an interrupted run leaves nothing that a later run would trust.
 */
public final class MavenFetcher {
    public static final URI CENTRAL = URI.create("https://repo1.maven.org/maven2/");

    private final URI repository;
    private final HttpClient http;

    public MavenFetcher(URI repository) {
        this.repository = repository.toString().endsWith("/") ? repository : URI.create(repository + "/");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(15)).build();
    }

    /** Maven Central, or {@code INGOT_MAVEN_REPO} when set (a mirror). */
    public static MavenFetcher fromEnvironment() {
        String repo = System.getenv("INGOT_MAVEN_REPO");
        return new MavenFetcher(repo == null || repo.isBlank() ? CENTRAL : URI.create(repo.strip()));
    }

    /**
     * Makes sure {@code dir} holds the given entries of {@code group:artifact:version}'s jar, downloading and
     * verifying the jar first if any is missing.
     *
     * @param entries jar entry name to file name under {@code dir}
     */
    public void fetch(String group, String artifact, String version, Map<String, String> entries, Path dir) throws IOException {
        if (entries.values().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) return;
        Files.createDirectories(dir);
        String base = group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar";
        Path jar = dir.resolve(artifact + "-" + version + ".jar.part");
        try {
            String want = get(base + ".sha1", null).strip().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
            get(base, jar);
            String got = sha1(jar);
            if (!got.equals(want)) {
                throw new IOException(repository.resolve(base) + ": sha1 " + got + " does not match the published " + want);
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (var e : entries.entrySet()) {
                    ZipEntry ze = zip.getEntry(e.getKey());
                    if (ze == null) throw new IOException(artifact + "-" + version + ".jar has no entry " + e.getKey());
                    Path tmp = dir.resolve(e.getValue() + ".part");
                    try (InputStream in = zip.getInputStream(ze)) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(tmp, dir.resolve(e.getValue()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** GETs {@code path} into {@code to}, or returns it as text when {@code to} is null. */
    private String get(String path, Path to) throws IOException {
        URI uri = repository.resolve(path);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        try {
            if (to == null) {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
                check(uri, r.statusCode());
                return r.body();
            }
            HttpResponse<Path> r = http.send(req, HttpResponse.BodyHandlers.ofFile(to));
            check(uri, r.statusCode());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + uri, e);
        } catch (java.net.ConnectException e) {
            throw new IOException(uri + ": cannot connect (" + e.getMessage() + "); set INGOT_MAVEN_REPO for a mirror", e);
        }
    }

    private static void check(URI uri, int status) throws IOException {
        if (status != 200) throw new IOException(uri + ": HTTP " + status);
    }

    static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
