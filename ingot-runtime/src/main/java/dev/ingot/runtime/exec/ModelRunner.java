package dev.ingot.runtime.exec;

import static dev.ingot.model.arch.ForwardSignature.*;

import dev.ingot.compiler.program.FloatView;
import dev.ingot.compiler.program.Program;
import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.compiler.program.ProgramCompiler;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.arch.ModelGraph;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.scheduler.FlatBatch;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a model's forward graph on flattened batches ({@link FlatBatch}) against a paged KV cache.
 *
 * <p>Shape buckets: a batch of T tokens runs the program compiled for the smallest power of two >= T (and the
 * matching bound on logit rows), so every T in 1..maxBatchTokens is served by one of log2(maxBatchTokens)+1
 * programs, each compiled once and reused ({@link #stats()} counts compiles and hits). Single-threaded: the
 * engine thread owns it; kernels fan out on the worker pool.
 */
public final class ModelRunner {
    private final ModelGraph model;
    private final dev.ingot.ir.Graph graph; // after the standard pass pipeline, shared by every bucket
    private final KvStorage kv;
    private final WorkerPool pool;
    private final int maxBatchTokens;
    private final int maxSeqs;
    private final int maxBlocksPerSeq;
    private final int maxLogitRows;
    private final Map<Long, Program> programs = new HashMap<>();
    private final AtomicLong compiles = new AtomicLong(), hits = new AtomicLong();
    // Per-call int inputs, grown on demand and reused (programs read only the used prefix).
    private int[] tokenSeq = new int[0], tables = new int[0];
    // One activation arena for every bucket's program (they never run at once): the largest one's size.
    private float[] arena = new float[0];

    /** Compile and cache-hit counts of the shape-bucketed programs. */
    public record Stats(long compiles, long hits, int programs) {}

    /**
     * @param maxLogitRows most rows of logits one step may ask for (the number of sequences, for serving;
     *                     all tokens when a caller wants every position's logits)
     */
    public ModelRunner(ModelGraph model, KvStorage kv, WorkerPool pool, int maxBatchTokens, int maxSeqs, int maxLogitRows) {
        if (kv.layout().blockSize() != model.kvBlockSize()) {
            throw new IllegalArgumentException("KV block size " + kv.layout().blockSize() + " differs from the graph's " + model.kvBlockSize());
        }
        this.model = model;
        this.graph = PassPipeline.standard().run(model.graph()).graph();
        this.kv = kv;
        this.pool = pool;
        this.maxBatchTokens = maxBatchTokens;
        this.maxSeqs = maxSeqs;
        this.maxBlocksPerSeq = (model.params().nCtx() + model.kvBlockSize() - 1) / model.kvBlockSize();
        this.maxLogitRows = maxLogitRows;
    }

    public DecoderParams params() { return model.params(); }

    public int maxBatchTokens() { return maxBatchTokens; }

    public Stats stats() { return new Stats(compiles.get(), hits.get(), programs.size()); }

    /** Compiles the program of every bucket now, so no later step waits for a compile. */
    public void warmUp() {
        for (int t = 1; ; t *= 2) {
            program(Math.min(t, maxBatchTokens), Math.min(t, maxLogitRows));
            if (t >= maxBatchTokens) break;
        }
    }

    /**
     * Runs the batch: writes its K/V into the cache slots given and returns logits [rows of logitsIndices, vocab],
     * valid until the next call.
     */
    public FloatView forward(FlatBatch b) {
        int t = b.numTokens(), s = b.numSeqs(), l = b.logitsIndices().length;
        if (t < 1 || t > maxBatchTokens) throw new IllegalArgumentException("batch of " + t + " tokens; this runner takes 1.." + maxBatchTokens);
        if (s > maxSeqs) throw new IllegalArgumentException("batch of " + s + " sequences exceeds " + maxSeqs);
        if (l > maxLogitRows) throw new IllegalArgumentException(l + " logit rows exceed " + maxLogitRows);
        int width = 1;
        for (int[] bt : b.blockTables()) width = Math.max(width, bt.length);
        if (width > maxBlocksPerSeq) throw new IllegalArgumentException("block table of " + width + " blocks exceeds the context");
        int bucket = Integer.highestOneBit(t) == t ? t : Integer.highestOneBit(t) * 2;
        bucket = Math.min(bucket, maxBatchTokens);
        Program p = program(bucket, Math.min(bucket, maxLogitRows));

        if (tokenSeq.length < t) tokenSeq = new int[maxBatchTokens];
        for (int q = 0; q < s; q++) {
            for (int i = b.queryStart()[q]; i < b.queryStart()[q + 1]; i++) tokenSeq[i] = q;
        }
        if (tables.length < s * width) tables = new int[Math.max(s * width, tables.length * 2)];
        for (int q = 0; q < s; q++) {
            int[] bt = b.blockTables()[q];
            System.arraycopy(bt, 0, tables, q * width, bt.length);
            java.util.Arrays.fill(tables, q * width + bt.length, (q + 1) * width, 0);
        }
        p.bindInts(TOKENS, b.tokenIds());
        p.bindInts(POSITIONS, b.positions());
        p.bindInts(TOKEN_SEQ, tokenSeq);
        p.bindInts(BLOCK_TABLES, tables);
        p.bindInts(SEQ_LENS, b.contextLens());
        p.bindInts(SLOTS, b.slotMapping());
        p.bindInts(LOGIT_ROWS, b.logitsIndices());
        for (int layer = 0; layer < model.params().nLayer(); layer++) {
            p.bindSegment(kCache(layer), kv.keys(layer));
            p.bindSegment(vCache(layer), kv.values(layer));
        }
        return p.run(Map.of(T, (long) t, S, (long) s, B, (long) width, L, (long) l, NB, (long) kv.numBlocks()));
    }

    private Program program(int bucketT, int bucketL) {
        long key = ((long) bucketT << 32) | bucketL;
        Program p = programs.get(key);
        if (p != null) {
            hits.incrementAndGet();
            return p;
        }
        Map<String, Long> bounds = Map.of(T, (long) bucketT, S, (long) maxSeqs, B, (long) maxBlocksPerSeq,
                L, (long) bucketL, NB, (long) kv.numBlocks());
        p = ProgramCompiler.compile(graph, bounds, pool);
        if (p.arenaFloats() > arena.length) {
            arena = new float[p.arenaFloats()];
            for (Program other : programs.values()) other.bindArena(arena);
        }
        p.bindArena(arena);
        if (Integer.getInteger("ingot.debug", 0) >= 2) System.err.println(p.listing());
        compiles.incrementAndGet();
        programs.put(key, p);
        return p;
    }
}
