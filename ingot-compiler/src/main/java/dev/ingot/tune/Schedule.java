package dev.ingot.tune;

/**
 * A point of a kernel family's schedule space: plain data with a stable text form ({@link #text()}), which is
 * what the tuning database stores and what {@link ScheduleSpace#parse} reads back.
 */
public interface Schedule {
    String text();

    /** Whether it runs a native (C) kernel: such schedules need a fallback for runs with the native backend off. */
    default boolean nativeBackend() { return false; }
}
