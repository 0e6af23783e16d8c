package dev.ingot.tune.db;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.compiler.cache.CompileCache;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tuning database: tuned (and compile-time selected) schedules keyed by CPU, thread count, kernel code
 * version, source and kernel signature ({@code db.json}), plus the measured trials the cost model learns from
 * and the report plots ({@code trials.jsonl}, one JSON object per line, append-only). Both live in
 * {@code <compile cache>/tuning/} (or beside {@code -Dingot.tuning.db=FILE}) and are shared by every run and model.
 *
 * <p>Never trusted: an unreadable {@code db.json} is logged, moved aside to {@code db.json.corrupt} and rebuilt
 * from nothing; a malformed row or trial line is dropped with a warning; users re-check each schedule before
 * they run it. {@code db.json} is rewritten atomically (temporary file + rename) under a lock file, merged with
 * what other processes wrote meanwhile (rows by key, newest write wins), so concurrent runs lose nothing;
 * trials are appended under the same lock. A disk problem on write is logged and forgotten: the database is a
 * cache. A null path keeps everything in memory.
 */
public final class TuningDb {
    private static final System.Logger LOG = System.getLogger(TuningDb.class.getName());
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static volatile TuningDb defaultDb;

    /** The shape of db.json. */
    record DbFile(int format, List<TunedEntry> entries) {}

    private final Path file, trialsFile;
    private final Map<String, TunedEntry> entries = new LinkedHashMap<>();
    private final Map<String, TunedEntry> unsavedEntries = new LinkedHashMap<>();
    private final List<Trial> unsavedTrials = new ArrayList<>();
    private List<Trial> trials; // read on first use: only tuning and reports need them

    public TuningDb(Path file) {
        this.file = file;
        this.trialsFile = file == null ? null : file.resolveSibling("trials.jsonl");
        if (file != null) for (TunedEntry e : read(file, true).entries()) entries.put(e.key(), e);
    }

    /** The database of this JVM (a process-wide instance, read once). */
    public static TuningDb atDefault() {
        TuningDb d = defaultDb;
        if (d == null) {
            synchronized (TuningDb.class) {
                if ((d = defaultDb) == null) defaultDb = d = new TuningDb(defaultPath());
            }
        }
        return d;
    }

    public static Path defaultPath() {
        String p = System.getProperty("ingot.tuning.db");
        return p != null ? Path.of(p) : CompileCache.defaultDir().resolve("tuning").resolve("db.json");
    }

    public Path file() { return file; }

    static String key(String cpu, int threads, String version, String source, String signature) {
        return cpu + "\t" + threads + "\t" + version + "\t" + source + "\t" + signature;
    }

    public synchronized Optional<TunedEntry> lookup(String cpu, int threads, String version, String source, String signature) {
        return Optional.ofNullable(entries.get(key(cpu, threads, version, source, signature)));
    }

    /** Adds or replaces the row with {@code e}'s key; written at the next {@link #save()}. */
    public synchronized void put(TunedEntry e) {
        String why = e.problem();
        if (why != null) throw new IllegalArgumentException("malformed tuning row (" + why + "): " + e);
        entries.put(e.key(), e);
        unsavedEntries.put(e.key(), e);
    }

    public synchronized void addTrial(Trial t) {
        if (!t.valid()) throw new IllegalArgumentException("malformed trial: " + t);
        trials();
        trials.add(t);
        unsavedTrials.add(t);
    }

    public synchronized List<TunedEntry> entries() { return List.copyOf(entries.values()); }

    /** Every trial on disk and added since, oldest first. */
    public synchronized List<Trial> trials() {
        if (trials == null) trials = trialsFile == null ? new ArrayList<>() : readTrials(trialsFile);
        return List.copyOf(trials);
    }

    /** Merges this instance's new rows into db.json (atomically) and appends its new trials. */
    public synchronized void save() {
        if (file == null || (unsavedEntries.isEmpty() && unsavedTrials.isEmpty())) return;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                if (!unsavedEntries.isEmpty()) {
                    Map<String, TunedEntry> merged = new LinkedHashMap<>();
                    for (TunedEntry e : read(file, false).entries()) merged.put(e.key(), e);
                    merged.putAll(unsavedEntries);
                    write(new DbFile(FORMAT, List.copyOf(merged.values())));
                    entries.putAll(merged); // what other processes wrote becomes visible here too
                    unsavedEntries.clear();
                }
                if (!unsavedTrials.isEmpty()) {
                    StringBuilder sb = new StringBuilder();
                    for (Trial t : unsavedTrials) sb.append(JSON.writeValueAsString(t)).append('\n');
                    Files.writeString(trialsFile, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    unsavedTrials.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "tuning database not saved to " + file + ": " + e);
        }
    }

    private void write(DbFile d) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), d);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads {@code f}, keeping only well-formed rows. An unreadable file gives an empty database; with
     * {@code moveAside} it is renamed to {@code <name>.corrupt} (replacing an older one) so the next save rebuilds it.
     */
    static DbFile read(Path f, boolean moveAside) {
        if (!Files.isRegularFile(f)) return new DbFile(FORMAT, List.of());
        try {
            DbFile d = JSON.readValue(f.toFile(), DbFile.class);
            if (d == null || d.format() != FORMAT) throw new IOException("format " + (d == null ? "missing" : d.format()) + ", expected " + FORMAT);
            List<TunedEntry> es = new ArrayList<>();
            for (TunedEntry e : d.entries() == null ? List.<TunedEntry>of() : d.entries()) {
                String why = e == null ? "null row" : e.problem();
                if (why == null) es.add(e);
                else LOG.log(Level.WARNING, "tuning database " + f + ": dropping a malformed row (" + why + ")");
            }
            return new DbFile(FORMAT, es);
        } catch (IOException | RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            LOG.log(Level.WARNING, "tuning database " + f + " is unreadable (" + msg + "); starting a new one"
                    + (moveAside ? ", the old file kept as " + f.getFileName() + ".corrupt" : ""));
            if (moveAside) {
                try {
                    Files.move(f, f.resolveSibling(f.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException m) {
                    LOG.log(Level.WARNING, "could not move the unreadable tuning database aside: " + m);
                }
            }
            return new DbFile(FORMAT, List.of());
        }
    }

    /** The trials file's well-formed lines (a torn or edited line is skipped and counted in one warning). */
    static List<Trial> readTrials(Path f) {
        List<Trial> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        int bad = 0;
        try {
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank()) continue;
                try {
                    Trial t = JSON.readValue(line, Trial.class);
                    if (t != null && t.valid()) out.add(t);
                    else bad++;
                } catch (IOException | RuntimeException e) {
                    bad++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "tuning trials " + f + " unreadable, ignored: " + e);
        }
        if (bad > 0) LOG.log(Level.WARNING, "tuning trials " + f + ": skipped " + bad + " malformed line(s)");
        return out;
    }
}
