package dev.ingot.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/**
 * Every supported pre-tokenizer splits any text into non-empty words that concatenate back to the text
 * (a lost or repeated character would change the tokens). Inputs mix the character classes the expressions
 * distinguish: ASCII letters/digits/punctuation, whitespace incl. CR/LF and U+3000, accents, CJK, surrogate pairs.
 */
class PreTokenizerPropertiesTest {

    @Property(tries = 300, seed = "20261124")
    void wordsConcatenateToTheInput(
            @ForAll @StringLength(max = 40) @Chars({'a', 'Z', '7', ' ', '\n', '\r', '\t', '\'', 's', '.', ',', '/', '~', '$',
                    '\u3000', '\u00a0', 'é', 'ß', '\u0301', '日', 'テ', '\u2581', '\u200d'})
            @CharRange(from = '0', to = '9') String text,
            @ForAll("emoji") String emoji) {
        String input = text + emoji + text;
        for (String name : PreTokenizer.names()) {
            var words = PreTokenizer.forName(name).split(input);
            assertThat(String.join("", words)).as("pre %s on '%s'", name, input).isEqualTo(input);
            assertThat(words).as("pre %s: no empty words", name).doesNotContain("");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> emoji() {
        return net.jqwik.api.Arbitraries.of("", "😀", "👍🏽", "👨\u200d👩\u200d👧", "𝔘");
    }
}
