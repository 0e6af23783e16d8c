package dev.ingot.runtime.scheduler;

import dev.ingot.runtime.kvcache.BlockCopy;
import java.util.List;

/**
 * One step's plan, plain data for the executor.
 *
 * @param step            step number, from 1
 * @param seqs            scheduled sequences in batch order (decodes first, then prefill chunks)
 * @param blockCopies     copy-on-write orders to execute <em>before</em> the forward pass and in list
 *                        order (a block freed by a preemption in this step may be the source of an earlier
 *                        copy and the destination of a later one)
 * @param finishedSeqIds  sequences that ended (finished or aborted) since the previous step: the executor
 *                        drops any per-sequence state (sampler, penalties) it holds for them
 * @param numPreempted    sequences preempted (freed for recompute) while planning this step
 */
public record SchedulerOutput(long step, List<ScheduledSeq> seqs, List<BlockCopy> blockCopies, List<Long> finishedSeqIds,
                              int numPreempted) {
    public SchedulerOutput {
        seqs = List.copyOf(seqs);
        blockCopies = List.copyOf(blockCopies);
        finishedSeqIds = List.copyOf(finishedSeqIds);
    }

    /** Tokens in the batch ({@code T}); never more than the configured {@code maxBatchTokens}. */
    public int totalTokens() {
        int t = 0;
        for (ScheduledSeq s : seqs) t += s.numNewTokens();
        return t;
    }

    public boolean isEmpty() {
        return seqs.isEmpty();
    }

    /** The batch in the flat layout of {@link FlatBatch}. */
    public FlatBatch flatten() {
        int t = totalTokens(), n = seqs.size(), nLogits = 0;
        for (ScheduledSeq s : seqs) if (s.needsLogits()) nLogits++;
        int[] tokens = new int[t], positions = new int[t], slots = new int[t], start = new int[n + 1], ctx = new int[n];
        int[][] tables = new int[n][];
        int[] logitsIdx = new int[nLogits], samples = new int[nLogits];
        long[] logitSeq = new long[nLogits];
        int at = 0, li = 0;
        for (int i = 0; i < n; i++) {
            ScheduledSeq s = seqs.get(i);
            start[i] = at;
            int k = s.numNewTokens();
            System.arraycopy(s.tokenIds(), 0, tokens, at, k);
            System.arraycopy(s.positions(), 0, positions, at, k);
            System.arraycopy(s.slotMapping(), 0, slots, at, k);
            ctx[i] = s.contextLength();
            tables[i] = s.blockTable();
            at += k;
            if (s.needsLogits()) {
                logitsIdx[li] = at - 1; // the chunk's last token
                samples[li] = s.numSamples();
                logitSeq[li++] = s.seqId();
            }
        }
        start[n] = at;
        return new FlatBatch(tokens, positions, slots, start, ctx, tables, logitsIdx, samples, logitSeq);
    }
}
