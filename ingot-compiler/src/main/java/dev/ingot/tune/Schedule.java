package dev.ingot.tune;

/**
 * A point of a kernel family's schedule space: plain data with a stable text form ({@link #text()}), which is
 * what the tuning database stores and what {@link ScheduleSpace#parse} reads back.
 */
public interface Schedule {
    String text();
}
