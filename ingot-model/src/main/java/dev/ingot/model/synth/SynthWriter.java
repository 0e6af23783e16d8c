package dev.ingot.model.synth;

import dev.ingot.model.gguf.GgufWriter;
import dev.ingot.tensor.quant.RowPipeline;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;

/**
 * Streams a {@link SynthModel} to a GGUF file: rows are generated and quantised on {@code threads}
 * workers, written in order straight into the output mapping (GgufWriter renames a temp file at the
 * end, so an interrupted run leaves nothing behind). Heap use is a few MiB per thread regardless of the
 * model size. The file's bytes depend only on the model's config, type and seed.
 */
public final class SynthWriter {
    private SynthWriter() {}

    /**
     * Writes {@code model} to {@code out}; {@code progress} receives the number of tensor bytes completed
     * after each chunk (called from the writing thread only).
     */
    public static void write(SynthModel model, Path out, int threads, LongConsumer progress) throws IOException {
        GgufWriter w = new GgufWriter();
        for (SynthModel.Meta m : model.metadata()) w.put(m.key(), m.type(), m.value());
        int maxRow = 0;
        for (SynthTensor t : model.tensors()) maxRow = Math.max(maxRow, Math.toIntExact(t.rowLength()));
        final int scratchLen = maxRow;
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[scratchLen]);
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "ingot-synth");
            th.setDaemon(true);
            return th;
        }) : null;
        long[] done = {0};
        try {
            for (SynthTensor t : model.tensors()) {
                int rowBytes = Math.toIntExact(t.type().rowBytes(t.rowLength()));
                w.addTensor(t.name(), t.type(), t.ne(), dst -> {
                    long[] pos = {0};
                    RowPipeline.run(t.rows(), rowBytes,
                            (row, buf, off) -> model.encodeRow(t, row, buf, off, scratch.get()),
                            pool, threads, (chunk, len, rowsDone) -> {
                                MemorySegment.copy(chunk, 0, dst, ValueLayout.JAVA_BYTE, pos[0], len);
                                pos[0] += len;
                                done[0] += len;
                                progress.accept(done[0]);
                            });
                });
            }
            w.write(out);
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }
}
