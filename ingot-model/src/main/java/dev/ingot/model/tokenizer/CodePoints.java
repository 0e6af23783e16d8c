package dev.ingot.model.tokenizer;

/**
 * Unicode character classes as llama.cpp's {@code unicode.cpp} defines them, on code points.
 * Whitespace is the Unicode White_Space property (not {@link Character#isWhitespace}, which leaves out
 * U+00A0/U+2007/U+202F and adds U+001C..U+001F).
 */
final class CodePoints {
    private CodePoints() {}

    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Regex {@code \p{L}}. */
    static boolean isLetter(int cp) {
        return Character.isLetter(cp);
    }

    /** Regex {@code \p{N}}: decimal digits, letter numbers and other numbers. */
    static boolean isNumber(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** The same whitespace set written as the body of a Java regex character class. */
    static final String WHITESPACE_CLASS_BODY =
            "\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
}
