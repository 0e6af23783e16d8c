package dev.ingot.runtime.exec;

import static dev.ingot.model.arch.ForwardSignature.*;

import dev.ingot.compiler.program.FloatView;
import dev.ingot.compiler.program.Program;
import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.compiler.program.ProgramCompiler;
import dev.ingot.kernel.nativec.GroupedLinear;
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
 * <p>Shape buckets and tiers ({@link TieredPrograms}): a batch of T tokens belongs to the bucket of the smallest
 * power of two >= T (and the matching bound on logit rows). Tier 0, one program compiled for the largest
 * bucket, runs any batch; a bucket that turns hot gets a tier-1 program specialised to it, compiled in the
 * background and swapped in between steps once a trial shows it is not slower. With
 * {@code -Dingot.tiered=false} every bucket's program is compiled on first use instead, on the calling thread.
 * {@link #stats()} counts compiles, hits and swaps. Single-threaded: the engine thread owns it; kernels fan out
 * on the worker pool.
 */
public final class ModelRunner implements AutoCloseable {
    private final ModelGraph model;
    private final dev.ingot.ir.Graph graph; // after the standard pass pipeline, shared by every bucket
    private final KvStorage kv;
    private final WorkerPool pool;
    private final int maxBatchTokens;
    private final int maxSeqs;
    private final int maxBlocksPerSeq;
    private final int maxLogitRows;
    private final Map<Long, Program> programs = new HashMap<>();   // untiered mode: every bucket's program
    private final TieredPrograms tiers;
    private final java.util.Set<Program> onArena = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final AtomicLong compiles = new AtomicLong(), hits = new AtomicLong();
    // Per-call int inputs, grown on demand and reused (programs read only the used prefix).
    private int[] tokenSeq = new int[0], tables = new int[0];
    // One activation arena for every bucket's program (they never run at once): the largest one's size.
    private float[] arena = new float[0];

    /**
     * Compiles (tier 0 and tier 1 together), steps that ran without compiling, live programs, and the tier-1
     * swaps: installed, rejected (slower or failing candidates), demoted after drift.
     */
    public record Stats(long compiles, long hits, int programs, long tier1Installs, long tier1Rejects, long tier1Drifts) {
        public Stats(long compiles, long hits, int programs) { this(compiles, hits, programs, 0, 0, 0); }
    }

    /**
     * @param maxLogitRows most rows of logits one step may ask for (the number of sequences, for serving;
     *                     all tokens when a caller wants every position's logits)
     */
    public ModelRunner(ModelGraph model, KvStorage kv, WorkerPool pool, int maxBatchTokens, int maxSeqs, int maxLogitRows) {
        this(model, kv, pool, maxBatchTokens, maxSeqs, maxLogitRows, TieredPrograms.Policy.fromProperties());
    }

    ModelRunner(ModelGraph model, KvStorage kv, WorkerPool pool, int maxBatchTokens, int maxSeqs, int maxLogitRows,
                TieredPrograms.Policy policy) {
        if (kv.layout().blockSize() != model.kvBlockSize()) {
            throw new IllegalArgumentException("KV block size " + kv.layout().blockSize() + " differs from the graph's " + model.kvBlockSize());
        }
        if (kv.layout().dtype() != model.kvType()) {
            throw new IllegalArgumentException("KV cache type " + kv.layout().dtype() + " differs from the graph's " + model.kvType());
        }
        this.model = model;
        this.graph = PassPipeline.standard().run(model.graph()).graph();
        this.kv = kv;
        this.pool = pool;
        this.maxBatchTokens = maxBatchTokens;
        this.maxSeqs = maxSeqs;
        this.maxBlocksPerSeq = (model.params().nCtx() + model.kvBlockSize() - 1) / model.kvBlockSize();
        this.maxLogitRows = maxLogitRows;
        this.tiers = policy.enabled() ? new TieredPrograms(this::compile, policy, maxBatchTokens, maxLogitRows) : null;
    }

    public DecoderParams params() { return model.params(); }

    /** Waits for a background compile in flight (it reads the weights): close before the model's file. */
    @Override
    public void close() {
        if (tiers != null) tiers.close();
    }

    public int maxBatchTokens() { return maxBatchTokens; }

    public Stats stats() {
        if (tiers == null) return new Stats(compiles.get(), hits.get(), programs.size());
        TieredPrograms.Counts c = tiers.counts();
        return new Stats(compiles.get(), hits.get(), tiers.programs(), c.installs(), c.rejects(), c.drifts());
    }

    /** Compiles now what later steps would otherwise wait for: tier 0 (tiered), or every bucket's program. */
    public void warmUp() {
        if (tiers != null) {
            tiers.tier0();
            return;
        }
        for (int t = 1; ; t *= 2) {
            program(Math.min(t, maxBatchTokens), Math.min(t, maxLogitRows));
            if (t >= maxBatchTokens) break;
        }
    }

    /**
     * True when batches of {@code tokens} tokens run their final program: tiering is off, or their bucket's
     * tier-1 candidate was installed or rejected. Benchmarks warm up until this holds.
     */
    public boolean specialised(int tokens) {
        if (tiers == null) return true;
        int bucket = bucketOf(tokens);
        return tiers.specialised(bucket, Math.min(bucket, maxLogitRows));
    }

    /** The shape bucket of a batch of {@code tokens} tokens: the next power of two, at most maxBatchTokens. */
    private int bucketOf(int tokens) {
        return Math.min(Integer.highestOneBit(tokens) == tokens ? tokens : Integer.highestOneBit(tokens) * 2, maxBatchTokens);
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
        int bucket = bucketOf(t);
        int bucketL = Math.min(bucket, maxLogitRows);

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
        Map<String, Long> binding = Map.of(T, (long) t, S, (long) s, B, (long) width, L, (long) l, NB, (long) kv.numBlocks());
        if (tiers == null) return bind(program(bucket, bucketL), b).run(binding);
        TieredPrograms.Choice c = tiers.choose(bucket, bucketL, t);
        hits.incrementAndGet();
        long t0 = System.nanoTime();
        FloatView out;
        try {
            out = bind(c.program(), b).run(binding);
        } catch (RuntimeException e) {
            if (c.program() == tiers.tier0()) throw e;
            tiers.failed(c, e); // a tier-1 program failed: tier 0 reruns the step (KV writes are idempotent)
            return bind(tiers.tier0(), b).run(binding);
        }
        tiers.report(c, System.nanoTime() - t0, t);
        return out;
    }

    /** Binds this batch's inputs (and the shared arena, on first use) to {@code p}. */
    private Program bind(Program p, FlatBatch b) {
        if (onArena.add(p)) {
            if (p.arenaFloats() > arena.length) {
                arena = new float[p.arenaFloats()];
                for (Program other : onArena) other.bindArena(arena);
            } else {
                p.bindArena(arena);
            }
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
        return p;
    }

    /** Untiered mode: the bucket's program, compiled on first use. */
    private Program program(int bucketT, int bucketL) {
        long key = ((long) bucketT << 32) | bucketL;
        Program p = programs.get(key);
        if (p != null) {
            hits.incrementAndGet();
            return p;
        }
        p = compile(bucketT, bucketL, true);
        programs.put(key, p);
        return p;
    }

    /**
     * Compiles the program of one bucket; thread-safe (tier 1 compiles on a background thread). Tier 0 keeps
     * native weights row-major (no packing: a fast start); tier 1 packs them on its own thread; untiered programs
     * pack over the pool.
     */
    private Program compile(int bucketT, int bucketL, boolean tier1) {
        Map<String, Long> bounds = Map.of(T, (long) bucketT, S, (long) maxSeqs, B, (long) maxBlocksPerSeq,
                L, (long) bucketL, NB, (long) kv.numBlocks());
        long t0 = System.nanoTime();
        GroupedLinear.Packing packing = tiers == null ? GroupedLinear.Packing.POOL
                : tier1 ? GroupedLinear.Packing.CALLER : GroupedLinear.Packing.NONE;
        Program p = ProgramCompiler.compile(graph, bounds, pool, packing);
        if (Integer.getInteger("ingot.debug", 0) >= 1) {
            System.err.printf("ingot: compiled program T<=%d L<=%d in %.0f ms on %s%n", bucketT, bucketL,
                    (System.nanoTime() - t0) / 1e6, Thread.currentThread().getName());
        }
        if (Integer.getInteger("ingot.debug", 0) >= 2) System.err.println(p.listing());
        if (Boolean.getBoolean("ingot.profile")) {
            Program prog = p;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                String r = prog.profile();
                if (r != null) System.err.print(r);
            }));
        }
        compiles.incrementAndGet();
        return p;
    }
}
