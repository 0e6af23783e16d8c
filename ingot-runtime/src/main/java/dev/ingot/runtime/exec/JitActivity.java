package dev.ingot.runtime.exec;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JIT compiled anything during an engine step, from the JVM's total compilation time: a C2 compile
 * takes a core for milliseconds, and on a 2-core machine a step beside it runs up to twice as long. Tiered trials
 * skip such steps, as they skip steps beside a tier-1 compile. A JIT that never settles (a busy server compiling
 * its own code) must not stall a trial forever: after {@link #MAX_SKIPS} noisy steps in a row, steps count again.
 * Without compilation-time monitoring (or with {@code -Dingot.tiered.jitQuiet=false}) every step is quiet.
 * Engine thread only.
 */
final class JitActivity {
    static final int MAX_SKIPS = 32;
    private final LongSupplier compileTime; // null: never noisy
    private long atStart;
    private int noisyInARow;
    private boolean quiet = true;

    JitActivity() {
        this(monitor());
    }

    /** @param compileTime a clock that advances while the JIT compiles (null: every step is quiet) */
    JitActivity(LongSupplier compileTime) {
        this.compileTime = compileTime;
    }

    /** Every step quiet: for tests that time steps themselves. */
    static JitActivity none() {
        return new JitActivity((LongSupplier) null);
    }

    private static LongSupplier monitor() {
        if ("false".equals(System.getProperty("ingot.tiered.jitQuiet"))) return null;
        CompilationMXBean b = ManagementFactory.getCompilationMXBean();
        return b != null && b.isCompilationTimeMonitoringSupported() ? b::getTotalCompilationTime : null;
    }

    void stepStarts() {
        if (compileTime != null) atStart = compileTime.getAsLong();
    }

    void stepEnded() {
        if (compileTime == null) return;
        boolean compiled = compileTime.getAsLong() != atStart;
        noisyInARow = compiled ? noisyInARow + 1 : 0;
        quiet = !compiled || noisyInARow > MAX_SKIPS;
    }

    /** True when the step just ended saw no JIT compile finish (or the JIT has been busy for too long to wait). */
    boolean quiet() {
        return quiet;
    }
}
