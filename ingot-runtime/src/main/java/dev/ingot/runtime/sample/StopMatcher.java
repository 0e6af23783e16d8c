package dev.ingot.runtime.sample;

import java.util.List;

/**
 * Finds stop strings in streamed text. Feed decoded pieces to {@link #push}; each call returns the text
 * that can safely go to the client now. Text that could still be the start of a stop string is held back
 * (at most the longest stop string's length minus one characters), so a client never sees part of a stop
 * string, and the stop string itself is never emitted (as in the OpenAI API). At the end of a stream that
 * did not stop, {@link #flush} returns what was held back.
 *
 * <p>When several stop strings occur, the one that completes first wins (smallest end offset, then the
 * earliest start); this is what a character-by-character check would find, so the result does not depend
 * on how the text was cut into pieces.
 */
public final class StopMatcher {
    private final List<String> stops;
    private final int longest;
    private final StringBuilder held = new StringBuilder();
    private String matched;

    public StopMatcher(List<String> stops) {
        for (String s : stops) {
            if (s == null || s.isEmpty()) throw new IllegalArgumentException("stop strings must not be empty");
        }
        this.stops = List.copyOf(stops);
        this.longest = this.stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * The outcome of one piece.
     *
     * @param text    text to emit now (possibly empty)
     * @param stop    the stop string that completed, or null if the stream goes on
     */
    public record Result(String text, String stop) {
        public boolean stopped() {
            return stop != null;
        }
    }

    /** Adds a piece of decoded text. After a stop was reported, the stream is over and push throws. */
    public Result push(String piece) {
        if (matched != null) throw new IllegalStateException("stream already stopped at " + quote(matched));
        held.append(piece);
        if (stops.isEmpty()) return new Result(takeAll(), null);
        // earliest-completing occurrence over all stop strings; held never contains a complete one
        int bestStart = -1, bestEnd = Integer.MAX_VALUE;
        String best = null;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at < 0) continue;
            int end = at + s.length();
            if (end < bestEnd || (end == bestEnd && at < bestStart)) {
                bestStart = at;
                bestEnd = end;
                best = s;
            }
        }
        if (best != null) {
            matched = best;
            String text = held.substring(0, bestStart);
            held.setLength(0);
            return new Result(text, best);
        }
        int keep = partialSuffix();
        String text = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Result(text, null);
    }

    /** Ends the stream: returns the held-back text (empty after a stop, since that text is discarded). */
    public String flush() {
        return takeAll();
    }

    /** The stop string that ended the stream, or null. */
    public String matched() {
        return matched;
    }

    /** Length of the longest suffix of {@code held} that is a proper prefix of some stop string. */
    private int partialSuffix() {
        int len = held.length();
        for (int k = Math.min(len, longest - 1); k > 0; k--) {
            for (String s : stops) {
                if (s.length() > k && regionEquals(s, len - k, k)) return k;
            }
        }
        return 0;
    }

    private boolean regionEquals(String stop, int heldFrom, int k) {
        for (int i = 0; i < k; i++) if (held.charAt(heldFrom + i) != stop.charAt(i)) return false;
        return true;
    }

    private String takeAll() {
        String text = held.toString();
        held.setLength(0);
        return text;
    }

    private static String quote(String s) {
        return '"' + s.replace("\n", "\\n") + '"';
    }
}
