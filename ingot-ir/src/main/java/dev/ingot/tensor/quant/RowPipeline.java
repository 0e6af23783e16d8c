package dev.ingot.tensor.quant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Produces the bytes of a tensor row by row on a thread pool and hands them to a single writer in row
 * order, holding at most {@code 2 * threads} chunks in memory. The bytes do not depend on the number of
 * threads: each row's encoder sees only its row index.
 */
public final class RowPipeline {
    private RowPipeline() {}

    /** Fills {@code out[off .. off+rowBytes)} with the encoded row {@code row}. Must be thread-safe. */
    @FunctionalInterface
    public interface RowEncoder {
        void encode(long row, byte[] out, int off);
    }

    /** Receives consecutive chunks of encoded rows (the array is not reused after the call). */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(byte[] chunk, int length, long rowsDone) throws IOException;
    }

    /**
     * Encodes {@code rows} rows of {@code rowBytes} bytes each and streams them to {@code sink}.
     * With {@code pool == null} it runs on the calling thread.
     */
    public static void run(long rows, int rowBytes, RowEncoder encoder, ExecutorService pool, int threads, ChunkSink sink)
            throws IOException {
        // At most ~1 MiB per chunk (bounds memory) and at least 4 chunks per thread (so a tensor of a few
        // hundred rows still spreads over every thread).
        long perThread = (rows + 4L * threads - 1) / (4L * Math.max(1, threads));
        int rowsPerChunk = (int) Math.max(1, Math.min(perThread, (1 << 20) / Math.max(1, rowBytes)));
        ArrayDeque<Future<byte[]>> window = new ArrayDeque<>();
        long next = 0, done = 0;
        int maxInFlight = Math.max(1, 2 * threads);
        try {
            while (done < rows) {
                while (pool != null && next < rows && window.size() < maxInFlight) {
                    long start = next;
                    int count = (int) Math.min(rowsPerChunk, rows - start);
                    window.add(pool.submit(() -> encode(encoder, start, count, rowBytes)));
                    next += count;
                }
                byte[] chunk;
                if (pool == null) {
                    int count = (int) Math.min(rowsPerChunk, rows - done);
                    chunk = encode(encoder, done, count, rowBytes);
                } else {
                    chunk = window.removeFirst().get();
                }
                done += chunk.length / rowBytes;
                sink.accept(chunk, chunk.length, done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new UncheckedIOException(new IOException(c));
        } finally {
            for (Future<byte[]> f : window) f.cancel(true);
        }
    }

    private static byte[] encode(RowEncoder encoder, long start, int count, int rowBytes) {
        byte[] out = new byte[Math.multiplyExact(count, rowBytes)];
        for (int i = 0; i < count; i++) encoder.encode(start + i, out, i * rowBytes);
        return out;
    }
}
