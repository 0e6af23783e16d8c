package dev.ingot.model.hub;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A file in a Hugging Face repository: {@code hf://OWNER/REPO/PATH/IN/REPO}, with an optional revision
 * (branch, tag, commit or {@code refs/pr/N}) written after the repository ({@code hf://OWNER/REPO@REV/FILE})
 * or after the file ({@code hf://OWNER/REPO/FILE@REV}); the default is {@code main}.
 *
 * <p>Every component is validated so that the cache path built from it cannot leave the cache directory
 * (no empty, {@code .} or {@code ..} segments).
 */
public record HfRef(String owner, String repo, String revision, String path) {
    public static final String SCHEME = "hf://";
    public static final String DEFAULT_REVISION = "main";

    // the hub's own rules for names are stricter; these only exclude what would break URLs or paths
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    public HfRef {
        if (!NAME.matcher(owner).matches()) throw bad(owner + "/" + repo, "invalid owner '" + owner + "'");
        if (!NAME.matcher(repo).matches()) throw bad(owner + "/" + repo, "invalid repository name '" + repo + "'");
        if (!REVISION.matcher(revision).matches() || hasDotSegment(revision)) {
            throw bad(owner + "/" + repo, "invalid revision '" + revision + "'");
        }
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")
                || hasDotSegment(path) || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw bad(owner + "/" + repo + "/" + path, "invalid file path '" + path + "' in the repository");
        }
    }

    /** True for strings this class parses (they start with {@code hf://}). */
    public static boolean isHfRef(String s) {
        return s.startsWith(SCHEME);
    }

    /** Parses {@code hf://OWNER/REPO[@REV]/PATH[@REV]}; the message of the exception says what is wrong. */
    public static HfRef parse(String ref) {
        if (!isHfRef(ref)) throw bad(ref, "a Hugging Face reference starts with " + SCHEME);
        String rest = ref.substring(SCHEME.length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw bad(ref, "expected hf://OWNER/REPO/FILE (a file in the repository, e.g. a .gguf)");
        }
        String owner = parts[0], repo = parts[1], path = parts[2], revision = null;
        int at = repo.indexOf('@');
        if (at >= 0) {
            revision = repo.substring(at + 1);
            repo = repo.substring(0, at);
        }
        // a revision after the file may contain '/' (refs/pr/1), so split at the last '@'
        int tail = path.lastIndexOf('@');
        if (tail >= 0) {
            if (revision != null) throw bad(ref, "two revisions given");
            revision = path.substring(tail + 1);
            path = path.substring(0, tail);
        }
        if (revision != null && revision.isEmpty()) throw bad(ref, "empty revision after '@'");
        return new HfRef(owner, repo, revision == null ? DEFAULT_REVISION : revision, path);
    }

    /** The download URL: {@code ENDPOINT/OWNER/REPO/resolve/REV/PATH}, each component percent-encoded. */
    public URI url(URI endpoint) {
        String base = endpoint.toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        StringBuilder sb = new StringBuilder(base).append('/').append(owner).append('/').append(repo)
                .append("/resolve/").append(encode(revision)); // as huggingface_hub: refs/pr/1 -> refs%2Fpr%2F1
        for (String segment : path.split("/")) sb.append('/').append(encode(segment));
        return URI.create(sb.toString());
    }

    /** The repository's page, for messages that ask the user to accept a licence. */
    public String repoPage(URI endpoint) {
        String base = endpoint.toString();
        return (base.endsWith("/") ? base : base + "/") + owner + "/" + repo;
    }

    /** The file's name without folders. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The canonical form: the revision is omitted when it is the default. */
    @Override
    public String toString() {
        return SCHEME + owner + "/" + repo + "/" + path + (DEFAULT_REVISION.equals(revision) ? "" : "@" + revision);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean hasDotSegment(String p) {
        for (String seg : p.split("/", -1)) if (seg.equals(".") || seg.equals("..")) return true;
        return false;
    }

    private static IllegalArgumentException bad(String ref, String why) {
        return new IllegalArgumentException("bad model reference '" + ref + "': " + why);
    }
}
