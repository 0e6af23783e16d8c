package dev.ingot.kernel.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of {@code threads - 1} daemon workers plus the calling thread, for kernels' parallel loops.
 *
 * <p>Protocol: {@link #parallelFor} publishes a job (task, n, grain), bumps {@code epoch} and unparks sleeping
 * workers. {@code [0, n)} is cut into one contiguous segment per thread (the caller's first, worker i's i-th,
 * boundaries on multiples of the grain); each thread claims chunks of {@code grain} consecutive indices from its
 * own segment's counter, then from the others' (dynamic claiming still balances uneven cores, and a worker that
 * never joins has its segment taken). Owning a segment keeps index ranges on the same core from one call to the
 * next: row-split kernels in a sequence (LayerNorm, a GEMM split by rows, an elementwise group) then read rows the
 * same core just wrote, instead of fetching them from the other core's cache, which measurably slowed the encoders'
 * GEMMs. When the caller runs out of chunks it closes the job and waits only for workers that joined it and are
 * still inside a chunk: a worker that lost its core (oversubscribed host) and never joined does not hold the caller
 * up, which waiting for every worker to check out did (a descheduled worker cost a scheduler time slice per call,
 * ~100 calls per token). Two job objects alternate, so calls allocate nothing. Idle workers wait for about
 * {@link #SPIN_NANOS} after their last job, since a decoded token issues ~100 parallel calls back to back, then
 * park: the first {@link #YIELD_AFTER_NANOS} spinning ({@code Thread.onSpinWait}), the rest in
 * {@code Thread.yield()}, which costs nothing on an idle core but hands it to any other runnable thread. In a
 * server on 2 cores the HTTP and client threads then run while the engine thread does serial work (sampling,
 * scheduling, small kernels), instead of preempting a compute thread mid-step and stalling both at the next
 * join: concurrency 16 served 1,264-1,414 tok/s spinning, 1,382-1,717 yielding after 2 us (ten runs). One caller
 * at a time: calls from several threads are serialised; a nested call from inside a task runs inline on that
 * thread. Allocation-free per call.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker spins before parking: covers the gap between two kernels of one step. */
    static final long SPIN_NANOS = 200_000;
    /** How much of that wait spins before it yields the core on each check. */
    static final long YIELD_AFTER_NANOS = Long.getLong("ingot.pool.yieldAfterNanos", 2_000);

    private final int threads;
    private final Thread[] workers;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger[] parked;
    private final Object callLock = new Object();
    private volatile boolean closed;
    private final Job[] jobs;
    private int jobIndex;
    private volatile Job current;   // written before the epoch bump that announces it
    private volatile Thread owner;  // the thread inside parallelFor, so its nested calls run inline

    /** One call's work. {@code open} is written last (volatile) when publishing, so joiners see the fields. */
    private static final class Job {
        RangeTask task;
        int n, grain;
        /** Claimed count of segment s at index s * PAD (a cache line apart); segment s is {@link #segmentStart} s .. s + 1. */
        final AtomicIntegerArray next;
        final AtomicInteger active = new AtomicInteger(); // workers inside this job
        volatile boolean open;
        volatile Throwable failure;

        Job(int threads) { next = new AtomicIntegerArray(threads * PAD); }
    }

    private static final int PAD = 16;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        this.threads = threads;
        this.jobs = new Job[] {new Job(threads), new Job(threads)};
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicInteger[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            parked[i] = new AtomicInteger();
            int id = i;
            workers[i] = new WorkerThread(() -> workerLoop(id), "ingot-worker-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** A pool with one thread per available processor. */
    public static WorkerPool ofCores() { return new WorkerPool(Runtime.getRuntime().availableProcessors()); }

    public int threads() { return threads; }

    /**
     * A grain of at most {@code maxGrain} that cuts each thread's segment of {@code [0, n)} into equal chunks, so
     * row-split kernels with different preferred chunk sizes still give each thread the same rows (see the class
     * comment); {@code maxGrain} itself when {@code n <= maxGrain} (the call then runs inline).
     */
    public int evenGrain(int n, int maxGrain) {
        maxGrain = Math.max(1, maxGrain);
        if (n <= maxGrain) return maxGrain;
        int per = (n + threads - 1) / threads, chunks = (per + maxGrain - 1) / maxGrain;
        return (per + chunks - 1) / chunks;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of {@code grain} indices (the last one shorter) on all
     * threads, and returns when all are done. The first exception thrown by any chunk is rethrown here.
     */
    public void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        grain = Math.max(1, grain);
        Thread me = Thread.currentThread();
        if (workers.length == 0 || n <= grain || me instanceof WorkerThread || owner == me) {
            task.run(0, n);
            return;
        }
        synchronized (callLock) {
            if (closed) throw new IllegalStateException("pool closed");
            owner = me;
            Job j = jobs[jobIndex ^= 1];
            awaitIdle(j); // a straggler of this job object's previous use must leave before it is reused
            j.task = task;
            j.n = n;
            j.grain = grain;
            j.failure = null;
            for (int s = 0; s < threads; s++) j.next.set(s * PAD, 0);
            j.open = true;
            current = j;
            epoch.incrementAndGet();
            for (int i = 0; i < workers.length; i++) {
                if (parked[i].get() != 0) LockSupport.unpark(workers[i]);
            }
            runChunks(j, 0, threads);
            j.open = false; // Dekker with joiners: they bump active, then read open
            awaitIdle(j);
            j.task = null;
            owner = null;
            Throwable f = j.failure;
            if (f != null) {
                j.failure = null;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error e) throw e;
                throw new RuntimeException(f);
            }
        }
    }

    /** Spins until no worker is inside {@code j}; yields after a while in case one lost its core. */
    private static void awaitIdle(Job j) {
        for (int spins = 0; j.active.get() != 0; spins++) {
            if (spins < 20_000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /**
     * Where segment s of {@code segs} over {@code [0, n)} starts: the nearest multiple of {@code grain} to
     * {@code s * n / segs}, so every chunk still starts at a multiple of the grain (kernels may rely on it).
     */
    static int segmentStart(int s, int segs, int n, int grain) {
        if (s <= 0) return 0;
        if (s >= segs) return n;
        long even = ((long) s * n + segs - 1) / segs; // rounded up: with fewer indices than threads the caller gets them
        return (int) Math.min(n, (even + grain / 2) / grain * grain);
    }

    /** Chunks of segment {@code self}, then of every other segment, until none is left. */
    private static void runChunks(Job j, int self, int segs) {
        RangeTask t = j.task;
        int n = j.n, grain = j.grain;
        try {
            for (int i = 0; i < segs; i++) {
                int s = (self + i) % segs;
                int lo = segmentStart(s, segs, n, grain), hi = segmentStart(s + 1, segs, n, grain);
                for (int from; (from = lo + j.next.getAndAdd(s * PAD, grain)) < hi; ) t.run(from, Math.min(hi, from + grain));
            }
        } catch (Throwable e) {
            if (j.failure == null) j.failure = e;
            for (int s = 0; s < segs; s++) j.next.set(s * PAD, n); // stop handing out work
        }
    }

    private void workerLoop(int id) {
        long seen = 0;
        while (!closed) {
            long e = epoch.get();
            if (e == seen) {
                long spinStart = System.nanoTime();
                for (long waited; (e = epoch.get()) == seen && !closed && (waited = System.nanoTime() - spinStart) < SPIN_NANOS; ) {
                    if (waited < YIELD_AFTER_NANOS) Thread.onSpinWait();
                    else Thread.yield();
                }
                if (e == seen) {
                    parked[id].set(1);
                    // Dekker with the caller: it bumps epoch then reads parked; we set parked then read epoch.
                    if (epoch.get() == seen && !closed) LockSupport.park(this);
                    parked[id].set(0);
                    continue;
                }
            }
            seen = e;
            Job j = current;
            j.active.incrementAndGet();
            if (j.open) runChunks(j, id + 1, threads);
            j.active.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }

    /** Marker so a nested parallelFor from inside a task runs inline instead of deadlocking. */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable r, String name) { super(r, name); }
    }
}
