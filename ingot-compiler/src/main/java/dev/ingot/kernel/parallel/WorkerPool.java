package dev.ingot.kernel.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of {@code threads - 1} daemon workers plus the calling thread, for kernels' parallel loops.
 *
 * <p>Protocol: {@link #parallelFor} publishes a job (task, n, grain), bumps {@code epoch} and unparks sleeping
 * workers; everyone (caller included) claims chunks of {@code grain} consecutive indices from the job's atomic
 * counter (contiguous rows keep each thread's weight stream sequential for the prefetcher; dynamic claiming
 * balances uneven cores). When the caller runs out of chunks it closes the job and waits only for workers that
 * joined it and are still inside a chunk: a worker that lost its core (oversubscribed host) and never joined
 * does not hold the caller up, which waiting for every worker to check out did (a descheduled worker cost a
 * scheduler time slice per call, ~100 calls per token). Two job objects alternate, so calls allocate nothing. Idle workers
 * spin ({@code Thread.onSpinWait}) for about {@link #SPIN_NANOS} after their last job, since a decoded token
 * issues ~100 parallel calls back to back, then park. One caller at a time: calls from several threads are
 * serialised; a nested call from inside a task runs inline on that thread. Allocation-free per call.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker spins before parking: covers the gap between two kernels of one step. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger[] parked;
    private final Object callLock = new Object();
    private volatile boolean closed;
    private final Job[] jobs = {new Job(), new Job()};
    private int jobIndex;
    private volatile Job current;   // written before the epoch bump that announces it
    private volatile Thread owner;  // the thread inside parallelFor, so its nested calls run inline

    /** One call's work. {@code open} is written last (volatile) when publishing, so joiners see the fields. */
    private static final class Job {
        RangeTask task;
        int n, grain;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger(); // workers inside this job
        volatile boolean open;
        volatile Throwable failure;
    }

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        this.threads = threads;
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
            j.next.set(0);
            j.open = true;
            current = j;
            epoch.incrementAndGet();
            for (int i = 0; i < workers.length; i++) {
                if (parked[i].get() != 0) LockSupport.unpark(workers[i]);
            }
            runChunks(j);
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

    private static void runChunks(Job j) {
        RangeTask t = j.task;
        int n = j.n, grain = j.grain;
        try {
            for (int from; (from = j.next.getAndAdd(grain)) < n; ) t.run(from, Math.min(n, from + grain));
        } catch (Throwable e) {
            if (j.failure == null) j.failure = e;
            j.next.set(n); // stop handing out work
        }
    }

    private void workerLoop(int id) {
        long seen = 0;
        while (!closed) {
            long e = epoch.get();
            if (e == seen) {
                long spinStart = System.nanoTime();
                while ((e = epoch.get()) == seen && !closed && System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
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
            if (j.open) runChunks(j);
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
