package dev.ingot.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

    @Test
    void stopStringSpanningPiecesIsHeldBackThenDropped() {
        StopMatcher m = new StopMatcher(List.of("</s>"));
        assertThat(m.push("Hello <").text()).isEqualTo("Hello ");
        assertThat(m.push("/").text()).isEmpty();
        StopMatcher.Result r = m.push("s> trailing");
        assertThat(r.stopped()).isTrue();
        assertThat(r.stop()).isEqualTo("</s>");
        assertThat(r.text()).isEmpty();
        assertThat(m.flush()).isEmpty();
        assertThatThrownBy(() -> m.push("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void falseStartIsReleasedWhenItCannotMatchAnymore() {
        StopMatcher m = new StopMatcher(List.of("STOP"));
        assertThat(m.push("ab ST").text()).isEqualTo("ab ");
        assertThat(m.push("OR").text()).isEqualTo("STOR");
        assertThat(m.push("ST").text()).isEmpty();
        assertThat(m.flush()).isEqualTo("ST");
    }

    @Test
    void firstCompletingOfSeveralStopsWins() {
        StopMatcher m = new StopMatcher(List.of("world", "lo w", "xyz"));
        StopMatcher.Result r = m.push("hello world");
        assertThat(r.stop()).isEqualTo("lo w");
        assertThat(r.text()).isEqualTo("hel");
    }

    @Test
    void overlappingPrefixesKeepTheLongestPossibleStart() {
        // "aab": after "aa" the held text must be "aa", not just "a"
        StopMatcher m = new StopMatcher(List.of("aab", "ab"));
        assertThat(m.push("xaa").text()).isEqualTo("x");
        StopMatcher.Result r = m.push("b");
        // both end at the same character; the earlier start ("aab") wins
        assertThat(r.stop()).isEqualTo("aab");
        assertThat(r.text()).isEmpty();
    }

    @Test
    void noStopStringsPassesEverythingThrough() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.push("abc").text()).isEqualTo("abc");
        assertThat(m.flush()).isEmpty();
    }

    /** The streamed output equals the one-shot answer, however the text is cut into pieces. */
    @Property(tries = 300)
    void chunkingDoesNotChangeTheResult(@ForAll("texts") String text, @ForAll("stopLists") List<String> stops,
                                        @ForAll("cuts") List<Integer> cuts) {
        StopMatcher m = new StopMatcher(stops);
        StringBuilder out = new StringBuilder();
        String stop = null;
        int at = 0;
        List<String> pieces = cut(text, cuts);
        for (String piece : pieces) {
            StopMatcher.Result r = m.push(piece);
            out.append(r.text());
            at += piece.length();
            if (r.stopped()) { stop = r.stop(); break; }
            // nothing emitted so far may begin a stop string that is still open
            assertThat(text.substring(0, at).indexOf(out.toString())).isZero();
        }
        if (stop == null) out.append(m.flush());
        String[] expected = oneShot(text, stops);
        assertThat(out.toString()).as("pieces %s stops %s", pieces, stops).isEqualTo(expected[0]);
        assertThat(stop).isEqualTo(expected[1]);
    }

    /** Reference: scan end positions in order; the first at which some stop ends (earliest start on ties). */
    private static String[] oneShot(String text, List<String> stops) {
        for (int end = 1; end <= text.length(); end++) {
            String best = null;
            for (String s : stops) {
                if (end >= s.length() && text.startsWith(s, end - s.length()) && (best == null || s.length() > best.length())) best = s;
            }
            if (best != null) return new String[] {text.substring(0, end - best.length()), best};
        }
        return new String[] {text, null};
    }

    private static List<String> cut(String text, List<Integer> cuts) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int c : cuts) {
            int to = Math.min(text.length(), from + c);
            pieces.add(text.substring(from, to));
            from = to;
        }
        pieces.add(text.substring(from));
        return pieces;
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abc").ofMaxLength(30);
    }

    @Provide
    Arbitrary<List<String>> stopLists() {
        return Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(4).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(12);
    }
}
