package dev.ingot.runtime.engine;

import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.runtime.exec.ModelRunner;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.kvcache.BlockPool;
import dev.ingot.runtime.kvcache.KvCacheManager;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.scheduler.Scheduler;
import dev.ingot.runtime.scheduler.SchedulerConfig;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The serving engine: continuous batching of many requests over one model, usable in-process without HTTP.
 *
 * <pre>{@code
 * try (LoadedModel m = LoadedModel.open(path); Engine e = Engine.start(m, EngineConfig.builder().build())) {
 *     RequestHandle h = e.submit(GenerateRequest.text("Once upon a time").sampling(
 *             SamplingParams.builder().maxTokens(64).build()).build());
 *     for (Chunk c : h) System.out.print(c.text());
 *     System.out.println(h.await().usage());
 * }
 * }</pre>
 *
 * <p>Threads: {@link #submit}, {@link #cancel} (via {@link RequestHandle#cancel()}), {@link #stats()} and
 * {@link #close()} may be called from any thread. Submission validates and tokenizes on the caller's thread and
 * hands a plain record to the one engine thread through a queue; the engine thread alone owns the scheduler, the
 * KV cache and the model runner (see {@link EngineLoop}); kernels fan out on the engine's worker pool.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingot.runtime.engine");

    /** A validated request with its effective limits, as the engine thread receives it. */
    record Prepared(String id, int[] prompt, SamplingParams sampling, int n, int priority, String cacheSalt,
                    long arrivalNanos, RequestHandle handle) {}

    /** Messages to the engine thread, applied in submission order. */
    sealed interface Command permits Submit, Cancel, Shutdown {}
    record Submit(Prepared request) implements Command {}
    record Cancel(String id) implements Command {}
    record Shutdown() implements Command {}

    private final LoadedModel model;
    private final EngineConfig config;
    private final int maxModelLen;
    private final int vocab;
    private final LinkedBlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    /** Requests accepted and not yet completed, by id (for duplicate detection and {@link EngineStats#liveRequests()}). */
    final ConcurrentHashMap<String, RequestHandle> live = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Object lifecycle = new Object();
    private boolean closed; // guarded by lifecycle
    private final EngineLoop loop;
    private final Thread thread;

    private Engine(LoadedModel model, EngineConfig config, EngineListener listener) {
        this.model = model;
        this.config = config;
        DecoderParams p = model.graph().params();
        this.vocab = p.nVocab();
        this.maxModelLen = config.maxModelLen() == 0 ? p.nCtx() : config.maxModelLen();
        if (maxModelLen > p.nCtx()) {
            throw new IllegalArgumentException("maxModelLen " + maxModelLen + " exceeds the model's context of " + p.nCtx());
        }
        KvLayout layout = model.kvLayout();
        int perSeq = (maxModelLen + layout.blockSize() - 1) / layout.blockSize();
        int blocks = config.kvBlocks() > 0 ? config.kvBlocks()
                : config.kvBytes() > 0 ? layout.blocksFor(config.kvBytes())
                : (int) Math.max(perSeq, Math.min((long) perSeq * config.maxNumSeqs(), layout.blocksFor(EngineConfig.DEFAULT_KV_BYTES)));
        KvCacheManager kvm = new KvCacheManager(new BlockPool(blocks), layout.blockSize(), config.prefixCaching());
        Scheduler scheduler = new Scheduler(new SchedulerConfig(config.maxBatchTokens(), config.maxNumSeqs(), maxModelLen, config.policy()), kvm);
        KvStorage kv = KvStorage.ofBlocks(layout, blocks);
        WorkerPool pool = null;
        try {
            pool = new WorkerPool(config.threads());
            ModelRunner runner = new ModelRunner(model.graph(), kv, pool, config.maxBatchTokens(), config.maxNumSeqs(), config.maxNumSeqs());
            this.loop = new EngineLoop(this, scheduler, runner, kv, pool, model.tokenizer(), inbox,
                    listener == null ? new EngineListener() {} : listener, config.warmUp());
        } catch (RuntimeException e) { // nothing stays allocated when the engine cannot be built
            if (pool != null) pool.close();
            kv.close();
            throw e;
        }
        this.thread = new Thread(loop, "ingot-engine");
        thread.setDaemon(true);
    }

    /** Starts an engine with no metrics listener; returns after warm-up (when configured). */
    public static Engine start(LoadedModel model, EngineConfig config) {
        return start(model, config, null);
    }

    /**
     * Allocates the KV cache and worker pool, starts the engine thread and waits until it is ready (all batch
     * buckets compiled when {@link EngineConfig#warmUp()}). A warm-up failure is rethrown here.
     */
    public static Engine start(LoadedModel model, EngineConfig config, EngineListener listener) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Engine e = new Engine(model, config, listener);
        e.thread.start();
        e.loop.awaitReady();
        return e;
    }

    public LoadedModel model() { return model; }

    public EngineConfig config() { return config; }

    /** The context limit requests are validated against. */
    public int maxModelLen() { return maxModelLen; }

    /** KV cache blocks in the pool. */
    public int kvBlocks() { return loop.kvBlocks(); }

    /** The latest snapshot (updated by the engine thread after every step). Any thread. */
    public EngineStats stats() {
        return loop.stats(live.size());
    }

    /** Submits a request whose chunks are read with the handle's {@link RequestHandle#next()} / iterator. */
    public RequestHandle submit(GenerateRequest request) {
        return submit(request, null);
    }

    /**
     * Validates and queues a request. Rejected up front with {@link IllegalArgumentException}: an empty prompt, a
     * token id outside the vocabulary, a prompt that leaves no room below {@link #maxModelLen()}, an explicit
     * {@code maxTokens} that does not fit the context (as vLLM does; the default "unlimited" maxTokens is clipped
     * to the room left), {@code n} above {@code maxNumSeqs}, a duplicate live id. {@link IllegalStateException}
     * after {@link #close()}.
     *
     * @param onChunk null to consume with the handle's iterator; else called on the engine thread per chunk
     */
    public RequestHandle submit(GenerateRequest request, Consumer<Chunk> onChunk) {
        Objects.requireNonNull(request, "request");
        String id = request.id() != null ? request.id() : "req-" + nextId.incrementAndGet();
        int[] prompt = request.promptTokenIds() != null ? request.promptTokenIds()
                : model.tokenizer().encode(request.prompt(), request.addSpecialTokens(), true);
        if (prompt.length == 0) throw new IllegalArgumentException("request " + id + ": the prompt is empty");
        for (int t : prompt) {
            if (t < 0 || t >= vocab) throw new IllegalArgumentException("request " + id + ": prompt token " + t + " outside the vocabulary 0.." + (vocab - 1));
        }
        if (prompt.length >= maxModelLen) {
            throw new IllegalArgumentException("request " + id + ": this model's maximum context length is " + maxModelLen
                    + " tokens, and the prompt has " + prompt.length + " (no room left for output)");
        }
        SamplingParams sp = request.sampling();
        int room = maxModelLen - prompt.length;
        if (sp.maxTokens() == Integer.MAX_VALUE) {
            sp = sp.toBuilder().maxTokens(room).build(); // "as many as fit", clipped like vLLM's default
        } else if (sp.maxTokens() > room) {
            throw new IllegalArgumentException("request " + id + ": this model's maximum context length is " + maxModelLen
                    + " tokens; you requested " + (prompt.length + sp.maxTokens()) + " (" + prompt.length + " in the prompt, "
                    + sp.maxTokens() + " for the completion); reduce the prompt or max_tokens");
        }
        if (request.n() > config.maxNumSeqs()) {
            throw new IllegalArgumentException("request " + id + ": n " + request.n() + " exceeds maxNumSeqs " + config.maxNumSeqs());
        }
        RequestHandle h = new RequestHandle(id, prompt.length, this, onChunk);
        Prepared p = new Prepared(id, prompt, sp, request.n(), request.priority(), request.cacheSalt(), System.nanoTime(), h);
        synchronized (lifecycle) {
            if (closed) throw new IllegalStateException("engine is closed");
            if (live.putIfAbsent(id, h) != null) throw new IllegalArgumentException("request id " + id + " is already live");
            inbox.add(new Submit(p)); // under the lock: Shutdown is always queued after every accepted Submit
        }
        return h;
    }

    /** Cancels a live request by id (what {@link RequestHandle#cancel()} calls); unknown ids are ignored. */
    public void cancel(String id) {
        inbox.add(new Cancel(id)); // ordered after the request's Submit, so it is never lost
    }

    /**
     * Stops the engine: requests still live end with {@code ABORT}, the engine thread exits, the KV storage and
     * worker pool are freed. Idempotent; blocks until the engine thread has exited (unless called from it).
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            inbox.add(new Shutdown());
        }
        if (Thread.currentThread() == thread) return;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "interrupted while waiting for the engine thread to stop");
        }
    }

    /** The engine thread's loop (tests inject faults through it). */
    EngineLoop loop() {
        return loop;
    }
}
