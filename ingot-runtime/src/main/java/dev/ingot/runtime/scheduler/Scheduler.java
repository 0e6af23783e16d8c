package dev.ingot.runtime.scheduler;

import dev.ingot.runtime.kvcache.Allocation;
import dev.ingot.runtime.kvcache.BlockCopy;
import dev.ingot.runtime.kvcache.BlockHashChain;
import dev.ingot.runtime.kvcache.CachedPrefix;
import dev.ingot.runtime.kvcache.KvCacheManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Iteration-level (continuous batching) scheduler in the style of vLLM v1: every sequence only has
 * {@code numComputed} and {@code numTokens}, and each step gives sequences {@code numTokens - numComputed}
 * tokens (capped by the budget), so prefill chunks and decodes are the same thing.
 *
 * <p>Per {@link #schedule()}: (1) apply pending aborts; (2) running decodes, then running partial
 * prefills, in policy order, preempting the last running sequence in policy order whenever the KV pool is
 * short; (3) if nobody was preempted, admit waiting sequences in policy order (head-of-line: stop at the
 * first that does not fit), starting them after their cached prefix. Preemption is by recompute: the
 * victim's blocks are freed, it returns to the waiting queue (ordered by the same key, so ahead of every
 * never-admitted request) keeping its tokens, and is later re-prefilled with prompt + outputs.
 *
 * <p>Invariants (checked by {@link #checkInvariants()}): running sequences never exceed {@code maxNumSeqs};
 * a step's tokens never exceed {@code maxBatchTokens}; every block's refcount equals its table references.
 * Threads: everything except {@link #abort} belongs to the engine thread; {@code abort} may be called from
 * any thread and takes effect at the next {@code schedule()}.
 */
public final class Scheduler {
    private final SchedulerConfig config;
    private final KvCacheManager kv;
    private final int blockSize;
    private final TreeSet<Sequence> waiting;
    private final TreeSet<Sequence> running;
    /** Live sequences of each live request. */
    private final Map<String, List<Sequence>> requests = new HashMap<>();
    private final Map<Long, Sequence> live = new HashMap<>();
    private final ConcurrentLinkedQueue<String> abortQueue = new ConcurrentLinkedQueue<>();
    private final List<SequenceOutput> abortOutputs = new ArrayList<>();
    private final List<Long> endedSinceLastStep = new ArrayList<>();
    private long nextSeqId;
    private long nextOrder;
    private long step;
    private long totalPreemptions;

    public Scheduler(SchedulerConfig config, KvCacheManager kv) {
        int needed = (config.maxModelLen() + kv.blockSize() - 1) / kv.blockSize();
        if (needed > kv.pool().numBlocks()) {
            throw new IllegalArgumentException("maxModelLen " + config.maxModelLen() + " needs " + needed
                    + " KV blocks but the pool has " + kv.pool().numBlocks() + "; raise --kv-memory or lower the context");
        }
        this.config = config;
        this.kv = kv;
        this.blockSize = kv.blockSize();
        Comparator<Sequence> key = config.policy() == SchedulingPolicy.PRIORITY
                ? Comparator.<Sequence>comparingInt(s -> s.request.priority()).thenComparingLong(s -> s.request.arrival())
                : Comparator.comparingLong(s -> s.request.arrival());
        key = key.thenComparingLong(s -> s.order).thenComparingInt(s -> s.seqIndex).thenComparingLong(s -> s.seqId);
        this.waiting = new TreeSet<>(key);
        this.running = new TreeSet<>(key);
    }

    /** Queues a request (engine thread). */
    public void addRequest(NewRequest r) {
        if (requests.containsKey(r.requestId())) throw new IllegalArgumentException("duplicate request id " + r.requestId());
        int[] prompt = r.promptTokenIds();
        if (prompt.length >= config.maxModelLen()) {
            throw new IllegalArgumentException(r.requestId() + ": prompt of " + prompt.length
                    + " tokens leaves no room below maxModelLen " + config.maxModelLen());
        }
        if (r.n() > config.maxNumSeqs()) throw new IllegalArgumentException(r.requestId() + ": n " + r.n() + " > maxNumSeqs");
        Sequence s = new Sequence(nextSeqId++, 0, r, nextOrder++, new BlockHashChain(r.cacheKey(), blockSize), prompt, prompt.length);
        List<Sequence> group = new ArrayList<>(r.n());
        group.add(s);
        requests.put(r.requestId(), group);
        live.put(s.seqId, s);
        waiting.add(s);
    }

    /** Cancels a request wherever it is (waiting, running, preempted); any thread; unknown ids are ignored. */
    public void abort(String requestId) {
        abortQueue.add(requestId);
    }

    /** Plans the next step. Call {@link #update} with its result before planning another. */
    public SchedulerOutput schedule() {
        step++;
        applyAborts();
        int budget = config.maxBatchTokens();
        Map<Sequence, Allocation> planned = new LinkedHashMap<>();
        Map<Sequence, Integer> numNew = new HashMap<>();
        int preempted = 0;
        List<Sequence> decodes = new ArrayList<>(), prefills = new ArrayList<>();
        for (Sequence s : running) (s.numTokens - s.numComputed == 1 ? decodes : prefills).add(s);
        for (List<Sequence> pass : List.of(decodes, prefills)) {
            for (Sequence s : pass) {
                if (budget == 0) break;
                if (s.state != Sequence.State.RUNNING || s.numTokens == s.numComputed) continue;
                int n = Math.min(s.numTokens - s.numComputed, budget);
                Allocation a;
                while ((a = kv.allocateSlots(s.seqId, s.numComputed, n, CachedPrefix.NONE)) == null) {
                    Sequence victim = running.last(); // lowest priority / latest arrival
                    preempt(victim);
                    preempted++;
                    if (planned.remove(victim) != null) budget += numNew.remove(victim);
                    if (victim == s) break;
                }
                if (a == null) continue;
                planned.put(s, a);
                numNew.put(s, n);
                budget -= n;
            }
        }
        // admissions only when memory was not short this step (vLLM v1 does the same); a request not yet
        // forked reserves seats for all its n samples, so running never exceeds maxNumSeqs after the fork
        int seats = 0;
        for (Sequence s : running) seats += seats(s);
        while (preempted == 0 && budget > 0 && !waiting.isEmpty()) {
            Sequence s = waiting.first();
            if (seats + seats(s) > config.maxNumSeqs()) break;
            CachedPrefix prefix = kv.findCachedPrefix(s.hashes, s.tokens, s.numTokens);
            int n = Math.min(s.numTokens - prefix.numTokens(), budget);
            Allocation a = kv.allocateSlots(s.seqId, prefix.numTokens(), n, prefix);
            if (a == null) break;
            waiting.remove(s);
            s.numComputed = prefix.numTokens();
            s.state = Sequence.State.RUNNING;
            running.add(s);
            seats += seats(s);
            planned.put(s, a);
            numNew.put(s, n);
            budget -= n;
        }
        totalPreemptions += preempted;
        List<ScheduledSeq> seqs = new ArrayList<>(planned.size());
        List<BlockCopy> copies = new ArrayList<>();
        for (var e : planned.entrySet()) {
            Sequence s = e.getKey();
            copies.addAll(e.getValue().copies());
            seqs.add(plan(s, numNew.get(s)));
            s.numComputed += numNew.get(s);
        }
        List<Long> ended = List.copyOf(endedSinceLastStep);
        endedSinceLastStep.clear();
        return new SchedulerOutput(step, seqs, copies, ended, preempted);
    }

    private static int seats(Sequence s) {
        return s.forked ? 1 : s.request.n();
    }

    private ScheduledSeq plan(Sequence s, int n) {
        int[] table = kv.blockTable(s.seqId);
        int[] tokens = new int[n], positions = new int[n], slots = new int[n];
        for (int i = 0; i < n; i++) {
            int p = s.numComputed + i;
            tokens[i] = s.tokens[p];
            positions[i] = p;
            slots[i] = table[p / blockSize] * blockSize + p % blockSize;
        }
        boolean logits = s.numComputed + n == s.numTokens;
        int samples = !logits ? 0 : s.forked ? 1 : s.request.n();
        return new ScheduledSeq(s.seqId, s.requestId(), s.seqIndex, s.numComputed, tokens, positions, table, slots, logits, samples);
    }

    /**
     * Applies a step's sampled tokens: offers newly full blocks to the prefix cache, forks {@code n > 1}
     * requests at the end of their first prefill, appends tokens, finishes sequences (stop signal,
     * {@code maxTokens}, {@code maxModelLen}) and frees their blocks.
     *
     * @return per sequence its new tokens and finish reason, preceded by outputs for aborts applied in
     *     the last {@code schedule()}
     */
    public List<SequenceOutput> update(SchedulerOutput out, ModelRunnerOutput result) {
        Map<Long, SampledTokens> bySeq = new HashMap<>();
        for (SampledTokens st : result.sampled()) bySeq.put(st.seqId(), st);
        List<SequenceOutput> outputs = new ArrayList<>(abortOutputs);
        abortOutputs.clear();
        for (ScheduledSeq ss : out.seqs()) {
            Sequence s = live.get(ss.seqId());
            if (s == null || s.state != Sequence.State.RUNNING) continue;
            kv.cacheFullBlocks(s.seqId, s.hashes, s.tokens, s.numComputed);
            if (!ss.needsLogits()) continue;
            SampledTokens st = bySeq.get(ss.seqId());
            if (st == null || st.tokenIds().length != ss.numSamples()) {
                throw new IllegalArgumentException("step " + out.step() + ": expected " + ss.numSamples()
                        + " sampled tokens for sequence " + ss.seqId());
            }
            int[] tokens = st.tokenIds();
            boolean[] stop = st.stop();
            List<Sequence> samples = new ArrayList<>(List.of(s));
            if (!s.forked) {
                s.forked = true;
                for (int i = 1; i < tokens.length; i++) {
                    Sequence c = s.fork(nextSeqId++, i);
                    kv.fork(s.seqId, c.seqId);
                    live.put(c.seqId, c);
                    requests.get(s.requestId()).add(c);
                    running.add(c);
                    samples.add(c);
                }
            }
            for (int i = 0; i < samples.size(); i++) outputs.add(append(samples.get(i), tokens[i], stop[i]));
        }
        return outputs;
    }

    private SequenceOutput append(Sequence s, int token, boolean stop) {
        s.append(token);
        FinishReason reason = stop ? FinishReason.STOP
                : s.numOutputTokens() >= s.request.maxTokens() || s.numTokens >= config.maxModelLen() ? FinishReason.LENGTH
                : null;
        boolean requestDone = reason != null && finish(s);
        return new SequenceOutput(s.requestId(), s.seqIndex, s.seqId, new int[] {token}, reason, requestDone);
    }

    /** Frees the sequence; returns true if it was its request's last live sequence. */
    private boolean finish(Sequence s) {
        kv.free(s.seqId);
        running.remove(s);
        waiting.remove(s);
        s.state = Sequence.State.FINISHED;
        live.remove(s.seqId);
        endedSinceLastStep.add(s.seqId);
        List<Sequence> group = requests.get(s.requestId());
        group.remove(s);
        // a request with n > 1 is done only when all n samples exist and ended
        if (group.isEmpty() && s.forked) {
            requests.remove(s.requestId());
            return true;
        }
        return false;
    }

    private void applyAborts() {
        for (String id; (id = abortQueue.poll()) != null; ) {
            List<Sequence> group = requests.get(id);
            if (group == null) continue;
            for (Sequence s : List.copyOf(group)) {
                s.forked = true; // no sample of an aborted request will be created any more
                boolean last = finish(s);
                abortOutputs.add(new SequenceOutput(id, s.seqIndex, s.seqId, new int[0], FinishReason.ABORT, last));
            }
        }
    }

    private void preempt(Sequence s) {
        kv.free(s.seqId);
        running.remove(s);
        s.numComputed = 0;
        s.state = Sequence.State.WAITING;
        s.numPreemptions++;
        waiting.add(s);
    }

    public int numWaiting() {
        return waiting.size();
    }

    public int numRunning() {
        return running.size();
    }

    /** True while any request is waiting, running, or has outputs (aborts) not yet returned. */
    public boolean hasUnfinished() {
        return !requests.isEmpty() || !abortOutputs.isEmpty() || !abortQueue.isEmpty();
    }

    public SchedulerStats stats() {
        return new SchedulerStats(step, running.size(), waiting.size(), totalPreemptions, kv.pool().stats(), kv.prefixStats());
    }

    public long totalPreemptions() {
        return totalPreemptions;
    }

    public KvCacheManager kvCacheManager() {
        return kv;
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Checks scheduler and KV invariants; O(blocks + sequences), for tests and debug runs. */
    public void checkInvariants() {
        kv.checkInvariants();
        int seats = 0;
        for (Sequence s : running) seats += seats(s);
        if (seats > config.maxNumSeqs()) throw new IllegalStateException("running seats " + seats + " > maxNumSeqs");
        if (kv.numSequences() != running.size()) {
            throw new IllegalStateException(kv.numSequences() + " block tables but " + running.size() + " running");
        }
        for (Sequence s : running) {
            int blocks = kv.blockTable(s.seqId).length;
            if (s.state != Sequence.State.RUNNING || blocks != (s.numComputed + blockSize - 1) / blockSize) {
                throw new IllegalStateException(s + " holds " + blocks + " blocks");
            }
        }
        for (Sequence s : waiting) {
            if (s.state != Sequence.State.WAITING || s.numComputed != 0 || kv.hasTable(s.seqId)) throw new IllegalStateException(s + " waiting with KV");
        }
        if (live.size() != running.size() + waiting.size()) throw new IllegalStateException("live sequences are neither waiting nor running");
    }
}
