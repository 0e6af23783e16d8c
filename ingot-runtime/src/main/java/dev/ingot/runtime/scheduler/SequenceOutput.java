package dev.ingot.runtime.scheduler;

/**
 * One sequence's result from one {@link Scheduler#update} (or an abort).
 *
 * @param requestId       the request
 * @param seqIndex        which of the request's {@code n} samples, {@code 0..n-1}
 * @param seqId           the sequence's id in {@link ScheduledSeq}
 * @param newTokenIds     tokens appended this step (empty for an abort)
 * @param finishReason    null while the sequence continues
 * @param requestFinished true on the output that finishes the request's last sequence
 */
public record SequenceOutput(String requestId, int seqIndex, long seqId, int[] newTokenIds, FinishReason finishReason,
                             boolean requestFinished) {
    public SequenceOutput {
        newTokenIds = newTokenIds.clone();
    }

    @Override
    public int[] newTokenIds() {
        return newTokenIds.clone();
    }

    public boolean finished() {
        return finishReason != null;
    }
}
