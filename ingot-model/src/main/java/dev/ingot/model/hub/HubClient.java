package dev.ingot.model.hub;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads hub files into the {@link ModelCache}: resumable, verified, atomic (see the package doc for the
 * protocol). Thread-safe for different files; two pulls of the same file serialise on its lock file.
 */
public final class HubClient {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final HubConfig config;
    private final ModelCache cache;
    private final HubHttp http;

    public HubClient(HubConfig config) {
        this.config = config;
        this.cache = new ModelCache(config.modelsDir());
        this.http = new HubHttp(config, cache);
    }

    public HubConfig config() {
        return config;
    }

    public ModelCache cache() {
        return cache;
    }

    /** True when {@code ref} is complete in the cache (so {@link #pull} would not touch the network). */
    public boolean isCached(HfRef ref) {
        return Files.isRegularFile(cache.pathOf(ref));
    }

    /**
     * Makes {@code ref} present in the cache and returns its path. A complete cached file is returned
     * without any request unless {@code force}; a {@code .part} left by an interrupted pull is resumed.
     */
    public Path pull(HfRef ref, boolean force, DownloadListener listener) throws IOException {
        Path target = cache.pathOf(ref);
        if (!force && Files.isRegularFile(target)) return target;
        Files.createDirectories(target.getParent());
        try (FileChannel lockChannel = FileChannel.open(ModelCache.lockOf(target), CREATE, WRITE);
             FileLock ignored = lock(lockChannel, ref)) {
            // another process may have completed the file while this one waited for the lock
            if (!force && Files.isRegularFile(target)) return target;
            Path part = ModelCache.partOf(target);
            if (force) Files.deleteIfExists(part);
            for (int attempt = 0; ; attempt++) {
                try {
                    download(ref, target, part, listener, true);
                    return target;
                } catch (BrokenTransfer e) {
                    long kept = Files.isRegularFile(part) ? Files.size(part) : 0;
                    if (attempt >= config.retries()) {
                        throw new HubException("download of " + ref + " was interrupted: " + e.getMessage() + " ("
                                + (attempt + 1) + " attempt(s)); " + kept + " bytes are kept in " + part
                                + " and the next pull resumes from there", e.getCause());
                    }
                    listener.retrying(ref, attempt + 1, e);
                    pause(attempt);
                }
            }
        }
    }

    private static FileLock lock(FileChannel channel, HfRef ref) throws IOException {
        try {
            return channel.lock();
        } catch (OverlappingFileLockException e) {
            throw new HubException(ref + " is already being downloaded by another thread of this process");
        }
    }

    /** One attempt; {@code mayRestart} allows one restart from byte 0 when the part file proves stale. */
    private void download(HfRef ref, Path target, Path part, DownloadListener listener, boolean mayRestart)
            throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HubHttp.Opened o = http.open(ref, have);
        HttpResponse<InputStream> r = o.response();
        int status = r.statusCode();
        long total = o.size();
        boolean append;
        if (status == 416 && have > 0) {
            // our range starts at or past the end: complete if the sizes agree, else a stale part
            r.body().close();
            long remote = total >= 0 ? total : unsatisfiedTotal(r);
            if (remote == have) {
                finish(ref, target, part, o.sha256(), remote, null);
                return;
            }
            restart(ref, target, part, listener, mayRestart, "the partial file is larger than the remote file");
            return;
        } else if (status == 206 && have > 0) {
            long[] range = contentRange(r);
            if (range == null || range[0] != have) {
                r.body().close();
                restart(ref, target, part, listener, mayRestart, "the server answered a different range");
                return;
            }
            if (total < 0) total = range[2];
            append = true;
        } else if (status == 200) {
            append = false; // also when we asked for a range: the server sent the whole file instead
            have = 0;
            if (total < 0) total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else {
            throw http.statusError(ref, o);
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (total >= 0 && length >= 0 && have + length != total) {
            r.body().close();
            throw new HubException("size mismatch for " + ref + ": the hub announced " + total + " bytes but "
                    + o.url().getHost() + " sends " + (have + length) + "; try again later");
        }
        if (total >= 0 && have > total) {
            r.body().close();
            restart(ref, target, part, listener, mayRestart, "the partial file is larger than the remote file");
            return;
        }
        MessageDigest md = o.sha256() == null ? null : sha256();
        if (md != null && append) hashFile(part, md);
        long done = have;
        listener.started(ref, have, total);
        try (InputStream body = r.body();
             FileChannel out = FileChannel.open(part, CREATE, WRITE, append ? APPEND : TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            while (true) {
                int k;
                try {
                    k = body.read(buf);
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    throw new BrokenTransfer("connection lost after " + done + " bytes: " + HubHttp.describe(e), e);
                }
                if (k < 0) break;
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, k);
                while (bb.hasRemaining()) out.write(bb);
                if (md != null) md.update(buf, 0, k);
                done += k;
                listener.progress(done);
            }
            out.force(true); // the rename below must not publish a file whose bytes are still in flight
        } finally {
            listener.ended();
        }
        if (total >= 0 && done < total) {
            throw new BrokenTransfer("connection closed after " + done + " of " + total + " bytes", null);
        }
        finish(ref, target, part, o.sha256(), total, md);
    }

    private void restart(HfRef ref, Path target, Path part, DownloadListener listener, boolean mayRestart,
                         String why) throws IOException {
        Files.deleteIfExists(part);
        if (!mayRestart) throw new HubException("cannot download " + ref + ": " + why + " even after restarting");
        download(ref, target, part, listener, false);
    }

    /** Checks size and sha256 (when announced), then renames atomically; deletes the part on a mismatch. */
    private static void finish(HfRef ref, Path target, Path part, String sha256, long size, MessageDigest md)
            throws IOException {
        long got = Files.size(part);
        if (size >= 0 && got != size) {
            Files.deleteIfExists(part);
            throw new HubException("size mismatch for " + ref + ": the server announced " + size + " bytes, got "
                    + got + "; the partial download was deleted, run the command again");
        }
        if (sha256 != null) {
            if (md == null) {
                md = sha256();
                hashFile(part, md);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(part);
                throw new HubException("checksum mismatch for " + ref + ": the server announced sha256 " + sha256
                        + " but the download has " + actual + "; the partial download was deleted, run the command"
                        + " again (if this repeats, the file changed on the server while downloading)");
            }
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long[] contentRange(HttpResponse<?> r) {
        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        if (!m.matches()) return null;
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total};
    }

    private static long unsatisfiedTotal(HttpResponse<?> r) {
        Matcher m = UNSATISFIED_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void hashFile(Path file, MessageDigest md) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = in.read(buf)) > 0; ) md.update(buf, 0, k);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void pause(int attempt) throws InterruptedIOException {
        long ms = config.retryDelay().toMillis() << Math.min(attempt, 6);
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to resume");
        }
    }

    /** A connection that dropped mid-file: worth resuming. */
    private static final class BrokenTransfer extends IOException {
        BrokenTransfer(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
