package dev.ingot.kernel.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of {@code threads - 1} daemon workers plus the calling thread, for kernels' parallel loops.
 *
 * <p>Protocol: {@link #parallelFor} publishes (task, n, grain), bumps {@code epoch} and unparks sleeping
 * workers; everyone (caller included) claims chunks of {@code grain} consecutive indices from one atomic
 * counter (contiguous rows keep each thread's weight stream sequential for the prefetcher; dynamic claiming
 * balances uneven cores); the caller returns once every worker has checked out of the epoch. Idle workers
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
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger[] parked;
    private final Object callLock = new Object();
    private volatile boolean closed;
    // The current job; written by the caller before the epoch bump (volatile write), read after it.
    private RangeTask task;
    private int n, grain;
    private volatile Throwable failure;
    private volatile Thread owner; // the thread inside parallelFor, so its nested calls run inline

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
            this.task = task;
            this.n = n;
            this.grain = grain;
            next.set(0);
            pending.set(workers.length);
            epoch.incrementAndGet(); // publishes the fields above
            for (int i = 0; i < workers.length; i++) {
                if (parked[i].get() != 0) LockSupport.unpark(workers[i]);
            }
            runChunks(task, n, grain);
            // Spin for the stragglers; yield after a while in case a worker lost its core (oversubscribed host).
            for (int spins = 0; pending.get() != 0; spins++) {
                if (spins < 20_000) Thread.onSpinWait();
                else Thread.yield();
            }
            this.task = null;
            owner = null;
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error e) throw e;
                throw new RuntimeException(f);
            }
        }
    }

    private void runChunks(RangeTask t, int n, int grain) {
        try {
            for (int from; (from = next.getAndAdd(grain)) < n; ) t.run(from, Math.min(n, from + grain));
        } catch (Throwable e) {
            if (failure == null) failure = e;
            next.set(n); // stop handing out work
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
            runChunks(task, n, grain);
            pending.decrementAndGet();
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
