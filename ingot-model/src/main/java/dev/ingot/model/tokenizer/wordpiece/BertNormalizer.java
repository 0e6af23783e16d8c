package dev.ingot.model.tokenizer.wordpiece;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The {@code BertNormalizer} of Hugging Face {@code tokenizers}, applied in its order: clean text, spaces around
 * CJK ideographs, accent stripping (NFD, then drop non-spacing marks), lower-casing.
 *
 * @param stripAccents when the file says {@code null} the library follows {@code lowercase}; callers resolve that
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    public String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
                if (isWhitespace(cp)) {
                    sb.append(' ');
                    return;
                }
            }
            if (handleChineseChars && isChinese(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String s = sb.toString();
        if (stripAccents) {
            StringBuilder out = new StringBuilder(s.length());
            Normalizer.normalize(s, Normalizer.Form.NFD).codePoints()
                    .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                    .forEach(out::appendCodePoint);
            s = out.toString();
        }
        return lowercase ? lowercase(s) : s;
    }

    /**
     * Lower-cases each code point on its own, as the library does with Rust's {@code char::to_lowercase}: no
     * context rule (a word-final capital sigma becomes σ, not ς), but one character may become two (İ to i̇).
     */
    private static String lowercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) out.appendCodePoint(Character.toLowerCase(cp));
            else out.append(Character.toString(cp).toLowerCase(Locale.ROOT));
        });
        return out.toString();
    }

    /** Rust's {@code char::is_whitespace} (the Unicode White_Space property) as the library uses it. */
    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case '\t', '\n', '\r', ' ', 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Control as the library defines it: Unicode category C*, except tab, newline and carriage return. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    /** The CJK Unified Ideographs blocks BERT's original code lists (not Hangul, Hiragana or Katakana). */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
