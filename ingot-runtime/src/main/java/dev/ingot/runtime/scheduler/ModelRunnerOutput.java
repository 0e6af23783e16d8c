package dev.ingot.runtime.scheduler;

import java.util.List;

/**
 * What the executor hands back for one {@link SchedulerOutput}: one {@link SampledTokens} per scheduled
 * sequence whose {@link ScheduledSeq#needsLogits()} was true (partial prefill chunks produce none).
 */
public record ModelRunnerOutput(List<SampledTokens> sampled) {
    public ModelRunnerOutput {
        sampled = List.copyOf(sampled);
    }
}
