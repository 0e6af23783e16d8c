package dev.ingot.tune;

import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Function;

/**
 * The compile-time read of the tuning database shared by every family: the row for (this CPU, thread count,
 * kernel code version, source, signature), its schedule if it runs here, else (tuned rows) its JVM schedule for
 * runs with the native backend off. The database is never trusted: a schedule that does not parse, lies outside
 * the family's space or cannot run here is logged and skipped, and the caller keeps its default.
 */
public final class TunedRows {
    private static final System.Logger LOG = System.getLogger(TunedRows.class.getName());
    private static volatile TunedRows defaultInstance;

    private final TuningDb db;
    private final String cpu;

    public TunedRows(TuningDb db, CpuId cpu) {
        this.db = db;
        this.cpu = cpu.key();
    }

    /** The process-wide database ({@code -Dingot.tuning.db} or the compile cache's) for this CPU. */
    public static TunedRows get() {
        TunedRows t = defaultInstance;
        if (t == null) {
            synchronized (TunedRows.class) {
                if ((t = defaultInstance) == null) defaultInstance = t = new TunedRows(TuningDb.atDefault(), CpuId.current());
            }
        }
        return t;
    }

    public TuningDb db() { return db; }

    /** The {@link TunedEntry#TUNED} row's schedule for {@code sig} on {@code threads} threads. */
    public <S extends Schedule> Optional<S> tuned(KernelSignature sig, int threads, String version, Function<String, S> usable) {
        return lookup(TunedEntry.TUNED, sig, threads, version, usable);
    }

    /**
     * @param usable parses a stored schedule text into one that runs here, null when it cannot (the native
     *               backend is off, say); may throw IllegalArgumentException on text outside the family's space
     */
    public <S extends Schedule> Optional<S> lookup(String source, KernelSignature sig, int threads, String version,
                                                   Function<String, S> usable) {
        Optional<TunedEntry> row = db.lookup(cpu, threads, version, source, sig.text());
        if (row.isEmpty()) return Optional.empty();
        S s = parse(sig, row.get().schedule(), usable);
        if (s == null && source.equals(TunedEntry.TUNED)) s = parse(sig, row.get().jvmSchedule(), usable);
        return Optional.ofNullable(s);
    }

    private static <S> S parse(KernelSignature sig, String text, Function<String, S> usable) {
        try {
            return usable.apply(text);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "tuning database: ignoring schedule '" + text + "' for " + sig + ": " + e.getMessage());
            return null;
        }
    }
}
