package dev.ingot.runtime.engine;

import dev.ingot.compiler.program.FloatView;
import dev.ingot.kernel.parallel.RangeTask;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.exec.ModelRunner;
import dev.ingot.runtime.kvcache.BlockCopy;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.scheduler.FinishReason;
import dev.ingot.runtime.scheduler.ModelRunnerOutput;
import dev.ingot.runtime.scheduler.NewRequest;
import dev.ingot.runtime.scheduler.SampledTokens;
import dev.ingot.runtime.scheduler.ScheduledSeq;
import dev.ingot.runtime.scheduler.Scheduler;
import dev.ingot.runtime.scheduler.SchedulerOutput;
import dev.ingot.runtime.scheduler.SchedulerStats;
import dev.ingot.runtime.scheduler.SequenceOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine thread: the only code that touches the scheduler, the KV cache and the model runner. Each
 * iteration drains the inbox (submissions, cancels), then runs one step:
 * <pre>
 *   schedule() -> block copies -> forward(flatten()) -> per logits row: each choice's sampler, stop detection
 *   -> update() -> chunks to handles
 * </pre>
 * With nothing to do it blocks on the inbox (no spinning). Failure isolation: an exception while sampling fails
 * only that request; an exception in the forward pass fails the requests of that step. Either way the failed
 * requests are left out of the {@code update} (so no block they wrote in the failed step enters the prefix cache)
 * and aborted, which frees their blocks at the next {@code schedule()}; the engine goes on serving.
 */
final class EngineLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.ingot.runtime.engine");

    private final Engine engine;
    private final Scheduler scheduler;
    private final ModelRunner runner;
    private final KvStorage kv;
    private final WorkerPool pool;
    private final LinkedBlockingQueue<Engine.Command> inbox;
    private final EngineListener listener;
    private final boolean warmUp;
    private final Map<String, RequestState> requests = new HashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The error that killed the engine thread, if any: live requests are failed with it instead of aborted. */
    private Error fatal;
    private final RateWindow rates = new RateWindow();
    private final StatsCounters counters = new StatsCounters();
    private final Tokenizer tokenizer;
    private volatile SchedulerStats schedStats;
    private volatile ModelRunner.Stats compileStats;
    /** Failure injection for tests (a throwing hook simulates a failed forward pass or sampler); no-op otherwise. */
    volatile Faults faults = new Faults() {};

    interface Faults {
        default void beforeForward(SchedulerOutput out) {}

        /** Runs where the row is sampled: a worker thread of the pool, or the engine thread. */
        default void beforeSample(ScheduledSeq s) {}
    }

    /** Request totals; written by the engine thread only, read by any. */
    static final class StatsCounters {
        volatile long finished, aborted, failed;
    }

    EngineLoop(Engine engine, Scheduler scheduler, ModelRunner runner, KvStorage kv, WorkerPool pool, Tokenizer tokenizer,
               LinkedBlockingQueue<Engine.Command> inbox, EngineListener listener, boolean warmUp) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.runner = runner;
        this.kv = kv;
        this.pool = pool;
        this.tokenizer = tokenizer;
        this.inbox = inbox;
        this.listener = listener;
        this.warmUp = warmUp;
        this.schedStats = scheduler.stats();
        this.compileStats = runner.stats();
    }

    int kvBlocks() {
        return kv.numBlocks();
    }

    void awaitReady() {
        try {
            ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            engine.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    EngineStats stats(int liveRequests) {
        SchedulerStats s = schedStats;
        double[] r = rates.rates(System.nanoTime());
        return new EngineStats(s.running(), s.waiting(), liveRequests, s.blocks().used(), s.blocks().free(), s.blocks().total(),
                s.prefixCache().hitRate(), s.preemptions(), s.steps(), r[0], r[1], counters.finished, counters.aborted,
                counters.failed, compileStats);
    }

    @Override
    public void run() {
        try {
            if (warmUp) runner.warmUp();
            compileStats = runner.stats();
            ready.complete(null);
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
        }
        try {
            while (true) {
                // idle: block for work; busy: only drain what has arrived
                Engine.Command c = scheduler.hasUnfinished() ? inbox.poll() : inbox.take();
                boolean shutdown = false;
                for (; c != null; c = inbox.poll()) {
                    if (c instanceof Engine.Shutdown) shutdown = true;
                    else apply(c);
                }
                if (shutdown) break;
                if (!scheduler.hasUnfinished()) continue;
                try {
                    step();
                } catch (RuntimeException e) {
                    // outside the forward pass and sampling (those fail only their requests) this is a bug in
                    // scheduling or bookkeeping: fail every live request rather than serve from doubtful state
                    LOG.log(System.Logger.Level.ERROR, "engine step failed; failing all live requests", e);
                    for (RequestState st : List.copyOf(requests.values())) fail(st, "engine step failed", e);
                }
            }
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "engine thread interrupted; shutting down");
        } catch (Error e) { // out of memory, a broken kernel class: the engine cannot go on
            LOG.log(System.Logger.Level.ERROR, "engine thread died; failing all live requests", e);
            fatal = e;
            throw e;
        } finally {
            shutdown();
        }
    }

    private void apply(Engine.Command c) {
        switch (c) {
            case Engine.Submit(Engine.Prepared p) -> {
                try {
                    RequestState st = new RequestState(p, tokenizer);
                    scheduler.addRequest(new NewRequest(p.id(), p.prompt(), p.n(), p.sampling().maxTokens(), p.priority(),
                            p.arrivalNanos(), p.cacheSalt()));
                    requests.put(p.id(), st);
                } catch (RuntimeException e) { // a request the scheduler refuses fails alone
                    counters.failed++;
                    notifyFinished(p.id(), null, e);
                    engine.live.remove(p.id());
                    p.handle().fail(new RequestFailedException(p.id(), "rejected: " + e.getMessage(), e));
                }
            }
            case Engine.Cancel(String id) -> {
                RequestState st = requests.get(id);
                if (st != null && !st.cancelRequested) {
                    st.cancelRequested = true;
                    scheduler.abort(id);
                }
            }
            case Engine.Shutdown s -> throw new IllegalStateException("handled by the loop");
        }
    }

    private void step() {
        long t0 = System.nanoTime();
        SchedulerOutput out = scheduler.schedule();
        for (BlockCopy c : out.blockCopies()) kv.copyBlock(c.src(), c.dst());
        Set<String> failed = new HashSet<>();
        List<SampledTokens> sampled = new ArrayList<>();
        int decodes = 0;
        for (ScheduledSeq s : out.seqs()) {
            RequestState st = requests.get(s.requestId());
            if (st.cachedPromptTokens < 0) {
                st.cachedPromptTokens = s.numComputedTokens(); // admission starts right after the cached prefix
                st.firstScheduledNanos = t0;
            }
            if (s.numComputedTokens() >= st.request.prompt().length) decodes++;
        }
        if (!out.isEmpty()) {
            FloatView logits = null;
            try {
                faults.beforeForward(out);
                logits = runner.forward(out.flatten());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "step " + out.step() + " failed; failing its requests", e);
                for (ScheduledSeq s : out.seqs()) if (failed.add(s.requestId())) fail(requests.get(s.requestId()), "the forward pass failed", e);
            }
            if (logits != null) sampleRows(out, logits, failed, sampled);
        }
        // failed requests are left out of update: their K/V from this step is not trusted
        if (!failed.isEmpty()) {
            List<ScheduledSeq> keep = new ArrayList<>();
            Set<Long> dropped = new HashSet<>();
            for (ScheduledSeq s : out.seqs()) {
                if (failed.contains(s.requestId())) dropped.add(s.seqId());
                else keep.add(s);
            }
            sampled.removeIf(t -> dropped.contains(t.seqId()));
            out = new SchedulerOutput(out.step(), keep, out.blockCopies(), out.finishedSeqIds(), out.numPreempted());
        }
        List<SequenceOutput> outs = scheduler.update(out, new ModelRunnerOutput(sampled));
        // snapshot before completing handles: a caller that saw its request finish sees its blocks freed
        schedStats = scheduler.stats();
        long now = System.nanoTime();
        publish(outs, now);
        int generated = 0;
        for (SampledTokens t : sampled) generated += t.tokenIds().length;
        rates.add(now, out.totalTokens() - decodes, generated);
        compileStats = runner.stats();
        try {
            listener.onStep(out.totalTokens(), out.seqs().size(), now - t0);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "engine listener threw", e);
        }
    }

    /**
     * Samples every logits row of the step. Rows are independent (each choice owns its sampler, decoder and stop
     * matcher; the tokenizer is read-only), so they run on the worker pool, idle between forward passes: at 16
     * sequences the vocabulary passes cost about a millisecond on one thread. Results and failures are applied
     * afterwards on the engine thread, in row order.
     */
    private void sampleRows(SchedulerOutput out, FloatView logits, Set<String> failed, List<SampledTokens> sampled) {
        // resolved here, on the engine thread: the workers touch only these arrays and the choices' own state
        int n = out.seqs().size(), m = 0, r = 0;
        ScheduledSeq[] seqs = new ScheduledSeq[n];
        RequestState[] states = new RequestState[n];
        int[] rowOf = new int[n];
        for (ScheduledSeq s : out.seqs()) {
            if (!s.needsLogits()) continue;
            int rowIndex = r++;
            if (failed.contains(s.requestId())) continue;
            seqs[m] = s;
            states[m] = requests.get(s.requestId());
            rowOf[m++] = rowIndex;
        }
        SampledTokens[] picked = new SampledTokens[m];
        RuntimeException[] errors = new RuntimeException[m];
        RangeTask task = (from, to) -> {
            float[] row = rowBuffer(logits.cols());
            for (int i = from; i < to; i++) {
                ScheduledSeq s = seqs[i];
                RequestState st = states[i];
                try {
                    faults.beforeSample(s);
                    logits.copyRow(rowOf[i], row);
                    int k = s.numSamples();
                    int[] tokens = new int[k];
                    boolean[] stop = new boolean[k];
                    // at the fork (end of an n > 1 prefill) one row feeds every choice; otherwise k == 1
                    for (int j = 0; j < k; j++) {
                        ChoiceState ch = st.choices[s.seqIndex() + j];
                        tokens[j] = ch.sample(row);
                        stop[j] = ch.stopSignalled();
                    }
                    picked[i] = new SampledTokens(s.seqId(), tokens, stop);
                } catch (RuntimeException e) {
                    errors[i] = e;
                }
            }
        };
        if (m > 1) pool.parallelFor(m, 1, task);
        else task.run(0, m);
        for (int i = 0; i < m; i++) {
            if (errors[i] == null) {
                sampled.add(picked[i]);
                continue;
            }
            if (failed.add(states[i].id())) fail(states[i], "sampling failed", errors[i]);
        }
    }

    /** Per thread (engine and workers): one logits row. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] rowBuffer(int n) {
        float[] row = ROW.get();
        if (row.length != n) ROW.set(row = new float[n]);
        return row;
    }

    /** Turns the scheduler's outputs into chunks; completes requests whose last sequence ended. */
    private void publish(List<SequenceOutput> outs, long now) {
        Set<RequestState> produced = new HashSet<>();
        for (SequenceOutput o : outs) {
            RequestState st = requests.get(o.requestId());
            if (st == null) continue;
            if (!st.done) {
                if (o.newTokenIds().length > 0 && produced.add(st)) st.tokenStep(now);
                Chunk c = st.choices[o.seqIndex()].drain(o.finishReason());
                if (!st.request.handle().publish(c) && !st.cancelRequested) {
                    st.cancelRequested = true; // the consumer is gone
                    scheduler.abort(st.id());
                }
            }
            if (o.requestFinished()) {
                requests.remove(st.id());
                if (!st.done) complete(st, now);
            }
        }
    }

    private void complete(RequestState st, long now) {
        st.done = true;
        st.abortUnfinished();
        GenerationResult r = st.result(now);
        boolean aborted = r.choices().stream().anyMatch(c -> c.finishReason() == FinishReason.ABORT);
        if (aborted) counters.aborted++;
        else counters.finished++;
        notifyFinished(st.id(), r, null); // before the request stops being live: an idle engine has told its listener everything
        engine.live.remove(st.id());
        st.request.handle().complete(r);
    }

    /** Ends the request with an error now and aborts it in the scheduler (its blocks go at the next schedule). */
    private void fail(RequestState st, String what, Throwable cause) {
        if (st.done) return;
        st.done = true;
        if (!st.cancelRequested) {
            st.cancelRequested = true;
            scheduler.abort(st.id());
        }
        counters.failed++;
        notifyFinished(st.id(), null, cause);
        engine.live.remove(st.id());
        st.request.handle().fail(new RequestFailedException(st.id(), what + ": " + cause, cause));
    }

    private void notifyFinished(String id, GenerationResult r, Throwable error) {
        try {
            listener.onRequestFinished(id, r, error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "engine listener threw", e);
        }
    }

    /** Cancels everything still live or queued, then frees the KV storage and the worker pool. */
    private void shutdown() {
        long now = System.nanoTime();
        for (Engine.Command c; (c = inbox.poll()) != null; ) {
            if (c instanceof Engine.Submit(Engine.Prepared p)) requests.put(p.id(), new RequestState(p, tokenizer));
        }
        for (RequestState st : List.copyOf(requests.values())) {
            scheduler.abort(st.id());
            if (st.done) continue;
            if (fatal != null) fail(st, "the engine thread died", fatal);
            else complete(st, now);
        }
        requests.clear();
        try {
            scheduler.update(scheduler.schedule(), new ModelRunnerOutput(List.of())); // applies the aborts
            schedStats = scheduler.stats();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "scheduler cleanup at shutdown failed", e);
        }
        runner.close();
        kv.close();
        pool.close();
        if (!ready.isDone()) ready.completeExceptionally(new IllegalStateException("engine closed during start"));
    }
}
