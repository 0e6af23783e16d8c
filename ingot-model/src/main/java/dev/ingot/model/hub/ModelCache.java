package dev.ingot.model.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk model cache: {@code MODELS/hf/OWNER/REPO/REVISION/PATH}. A file under its final name is
 * complete and was verified when it was downloaded; {@code .part} and {@code .lock} files are work in progress.
 */
public final class ModelCache {
    static final String PART = ".part";
    static final String LOCK = ".lock";

    private final Path root;

    public ModelCache(Path modelsDir) {
        this.root = modelsDir;
    }

    public Path root() {
        return root;
    }

    /** Where {@code ref} lives when complete. */
    public Path pathOf(HfRef ref) {
        Path p = root.resolve("hf").resolve(ref.owner()).resolve(ref.repo());
        for (String seg : ref.revision().split("/")) p = p.resolve(seg);
        for (String seg : ref.path().split("/")) p = p.resolve(seg);
        return p;
    }

    static Path partOf(Path file) {
        return file.resolveSibling(file.getFileName() + PART);
    }

    static Path lockOf(Path file) {
        return file.resolveSibling(file.getFileName() + LOCK);
    }

    /** The complete files in the cache, as references, sorted; empty when the cache does not exist. */
    public List<HfRef> list() {
        Path hf = root.resolve("hf");
        if (!Files.isDirectory(hf)) return List.of();
        List<HfRef> refs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(hf)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(PART) && !f.toString().endsWith(LOCK))
                    .forEach(f -> {
                        HfRef ref = refOf(hf.relativize(f));
                        if (ref != null) refs.add(ref);
                    });
        } catch (IOException | UncheckedIOException e) {
            return refs; // a listing is only ever used to help an error message
        }
        refs.sort((a, b) -> a.toString().compareTo(b.toString()));
        return refs;
    }

    /** OWNER/REPO/REV.../PATH back to a reference; revisions under refs/ take three segments (refs/pr/1). */
    private static HfRef refOf(Path rel) {
        int n = rel.getNameCount();
        int revLen = n > 2 && rel.getName(2).toString().equals("refs") ? 3 : 1;
        if (n < 3 + revLen) return null;
        try {
            return new HfRef(rel.getName(0).toString(), rel.getName(1).toString(),
                    rel.subpath(2, 2 + revLen).toString().replace('\\', '/'),
                    rel.subpath(2 + revLen, n).toString().replace('\\', '/'));
        } catch (IllegalArgumentException e) {
            return null; // a stray file that no reference names
        }
    }

    /** A short list of the cached references for an error message: at most {@code max}, then "and N more". */
    public String describe(int max) {
        List<HfRef> refs = list();
        if (refs.isEmpty()) return "none (cache " + root + ")";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, refs.size()); i++) sb.append(i == 0 ? "" : ", ").append(refs.get(i));
        if (refs.size() > max) sb.append(", and ").append(refs.size() - max).append(" more");
        return sb.toString();
    }
}
