package dev.ingot.kernel.nativec;

import dev.ingot.kernel.nativec.KernelSelector.Choice;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The on-disk memory of {@link KernelSelector}: one line per measurement,
 * {@code <cpu> <signature> <native|java> <javaNs> <nativeNs> <rows>}, appended to
 * {@code <cacheDir>/native/selection.tsv}; the last line for a (cpu, signature) wins. The CPU is the model
 * name from /proc/cpuinfo plus the core count. A precursor of the tuning database; a disk problem is logged
 * and forgotten. A null path keeps nothing.
 */
public final class SelectionRecord {
    private static final System.Logger LOG = System.getLogger(SelectionRecord.class.getName());
    private final Path file;
    private final String cpu;

    public SelectionRecord(Path file) {
        this.file = file;
        this.cpu = cpu();
    }

    static SelectionRecord atDefault() {
        return new SelectionRecord(NativeToolchain.defaultCacheDir().resolve("native").resolve("selection.tsv"));
    }

    synchronized Optional<Choice> lookup(String sig) {
        if (file == null || !Files.isRegularFile(file)) return Optional.empty();
        Choice found = null;
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f.length == 6 && f[0].equals(cpu) && f[1].equals(sig)) {
                    found = new Choice(sig, f[2].equals("native"), Long.parseLong(f[3]), Long.parseLong(f[4]), Integer.parseInt(f[5]));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring unreadable kernel selection record " + file + ": " + e);
        }
        return Optional.ofNullable(found);
    }

    synchronized void store(Choice c) {
        if (file == null) return;
        String line = String.join("\t", cpu, c.signature(), c.nativeWins() ? "native" : "java",
                Long.toString(c.javaNs()), Long.toString(c.nativeNs()), Integer.toString(c.rows())) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "kernel selection not recorded in " + file + ": " + e);
        }
    }

    static String cpu() {
        String model = System.getProperty("os.arch");
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) { model = l.substring(l.indexOf(':') + 1).trim(); break; }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture alone keys the record
        }
        return model.replace('\t', ' ') + "/" + Runtime.getRuntime().availableProcessors() + "cpu";
    }
}
