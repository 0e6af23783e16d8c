package dev.ingot.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress display for long CLI jobs. On a terminal it is a me.tongfei progress bar on stderr
 * (redrawn in place, ~5 times a second); otherwise (pipes, CI logs, tests) it prints at most one line
 * per quarter of the work, so logs stay short. {@code INGOT_PROGRESS=0} silences it. Thread-safe.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;      // null when not on a terminal
    private final PrintWriter log;      // null when silenced
    private final String task;
    private final long max;
    private final long start = System.nanoTime();
    private long current;
    private int lastQuarter;

    private Progress(String task, long max, String unit, long unitSize, boolean terminal, PrintWriter err, boolean silent) {
        this.task = task;
        this.max = Math.max(1, max);
        if (!silent && terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(this.max).setUnit(unit, unitSize)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            log = null;
        } else {
            bar = null;
            log = silent ? null : err;
        }
    }

    /**
     * A progress display over {@code max} units of work, shown in {@code unit}s of {@code unitSize}: a bar
     * on {@code System.err} when that is a terminal, else quarter lines on {@code err}.
     */
    static Progress start(String task, long max, String unit, long unitSize, PrintWriter err) {
        Console c = System.console();
        boolean terminal = c != null && c.isTerminal();
        boolean silent = "0".equals(System.getenv("INGOT_PROGRESS"));
        return new Progress(task, max, unit, unitSize, terminal, err, silent);
    }

    /** For tests: forced non-terminal mode writing to {@code err}. */
    static Progress plain(String task, long max, PrintWriter err) {
        return new Progress(task, max, "", 1, false, err, false);
    }

    synchronized void stepBy(long n) { stepTo(current + n); }

    synchronized void stepTo(long n) {
        current = Math.min(n, max);
        if (bar != null) {
            bar.stepTo(current);
        } else if (log != null) {
            int quarter = (int) (current * 4 / max);
            if (quarter > lastQuarter && quarter < 4) {
                lastQuarter = quarter;
                log.printf(Locale.ROOT, "%s: %d%%%n", task, quarter * 25);
                log.flush();
            }
        }
    }

    /** Seconds since start. */
    double seconds() { return (System.nanoTime() - start) / 1e9; }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        else if (log != null && current >= max) {
            log.printf(Locale.ROOT, "%s: done in %.1f s%n", task, seconds());
            log.flush();
        }
    }
}
