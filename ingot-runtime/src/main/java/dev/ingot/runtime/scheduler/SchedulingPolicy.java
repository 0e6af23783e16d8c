package dev.ingot.runtime.scheduler;

/** Order in which waiting sequences are admitted and running ones are kept (and preempted, last first). */
public enum SchedulingPolicy {
    /** By arrival (then submission order); the latest-arrived running sequence is preempted first. */
    FCFS,
    /** By priority value (smaller is served first, as in vLLM), then arrival; the largest value is preempted first. */
    PRIORITY
}
