package dev.ingot.model.tokenizer;

/**
 * Hand-written scanners for the GPT-2 and Llama-3 pre-tokenizer expressions, ported from llama.cpp's
 * {@code unicode_regex_split_custom_gpt2/llama3} so that the words match llama.cpp's, quirks included
 * (e.g. {@code \s+(?!\S)} leaves the last whitespace for the next word only when more text follows).
 * Positions are code point indices; a position outside {@code [start, end)} reads as "no character".
 */
final class CustomSplitters {
    private CustomSplitters() {}

    private static final int OUT = -1;

    /** {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)} */
    static void gpt2(String text, int[] cps, int[] charAt, int start, int end, PreTokenizer.IntList out) {
        Scan s = new Scan(cps, start, end, out);
        int pos = start;
        while (pos < end) {
            int cpt = s.cpt(pos);
            if (cpt == '\'' && pos + 1 < end) {
                int next = s.cpt(pos + 1);
                if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                    pos = s.add(pos + 2);
                    continue;
                }
                if (pos + 2 < end) {
                    int next2 = s.cpt(pos + 2);
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l')) {
                        pos = s.add(pos + 3);
                        continue;
                    }
                }
            }
            int c2 = cpt == ' ' ? s.cpt(pos + 1) : cpt;
            if (isLetter(c2)) {
                if (cpt == ' ') pos++;
                while (isLetter(s.cpt(pos))) pos++;
                s.add(pos);
                continue;
            }
            if (isNumber(c2)) {
                if (cpt == ' ') pos++;
                while (isNumber(s.cpt(pos))) pos++;
                s.add(pos);
                continue;
            }
            if (isOther(c2)) {
                if (cpt == ' ') pos++;
                while (isOther(s.cpt(pos))) pos++;
                s.add(pos);
                continue;
            }
            int ws = 0;
            while (isSpace(s.cpt(pos + ws))) ws++;
            if (ws > 1 && s.cpt(pos + ws) != OUT) { // \s+(?!\S): keep the last space for the next word
                pos += ws - 1;
                s.add(pos);
                continue;
            }
            if (ws > 0) {
                pos += ws;
                s.add(pos);
                continue;
            }
            pos = s.add(pos + 1);
        }
    }

    /**
     * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+
     * |\s+(?!\S)|\s+}
     */
    static void llama3(String text, int[] cps, int[] charAt, int start, int end, PreTokenizer.IntList out) {
        Scan s = new Scan(cps, start, end, out);
        int pos = start;
        while (pos < end) {
            int cpt = s.cpt(pos);
            if (cpt == '\'' && pos + 1 < end) {
                int next = Character.toLowerCase(s.cpt(pos + 1));
                if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                    pos = s.add(pos + 2);
                    continue;
                }
                if (pos + 2 < end) {
                    int next2 = Character.toLowerCase(s.cpt(pos + 2));
                    if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') || (next == 'l' && next2 == 'l')) {
                        pos = s.add(pos + 3);
                        continue;
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || isNumber(cpt))) {
                if (isLetter(cpt) || isLetter(s.cpt(pos + 1))) {
                    pos++;
                    while (isLetter(s.cpt(pos))) pos++;
                    s.add(pos);
                    continue;
                }
            }
            // \p{N}{1,3}
            if (isNumber(cpt)) {
                int ini = pos;
                while (isNumber(s.cpt(pos))) {
                    if (++pos - ini >= 3) {
                        s.add(pos);
                        ini = pos;
                    }
                }
                s.add(pos);
                continue;
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]*
            int c2 = cpt == ' ' ? s.cpt(pos + 1) : cpt;
            if (isOther(c2)) {
                if (cpt == ' ') pos++;
                while (isOther(s.cpt(pos))) pos++;
                int c3 = s.cpt(pos);
                while (c3 == '\r' || c3 == '\n') c3 = s.cpt(++pos);
                s.add(pos);
                continue;
            }
            int ws = 0;
            int lastEndRn = 0;
            while (isSpace(s.cpt(pos + ws))) {
                int c = s.cpt(pos + ws);
                if (c == '\r' || c == '\n') lastEndRn = pos + ws + 1;
                ws++;
            }
            if (lastEndRn > 0) { // \s*[\r\n]+
                pos = lastEndRn;
                s.add(pos);
                continue;
            }
            if (ws > 1 && s.cpt(pos + ws) != OUT) {
                pos += ws - 1;
                s.add(pos);
                continue;
            }
            if (ws > 0) {
                pos += ws;
                s.add(pos);
                continue;
            }
            pos = s.add(pos + 1);
        }
    }

    private static boolean isLetter(int cp) {
        return cp != OUT && CodePoints.isLetter(cp);
    }

    private static boolean isNumber(int cp) {
        return cp != OUT && CodePoints.isNumber(cp);
    }

    private static boolean isSpace(int cp) {
        return cp != OUT && CodePoints.isWhitespace(cp);
    }

    /** {@code [^\s\p{L}\p{N}]}: any character (in range) that is not whitespace, letter or number. */
    private static boolean isOther(int cp) {
        return cp != OUT && !CodePoints.isWhitespace(cp) && !CodePoints.isLetter(cp) && !CodePoints.isNumber(cp);
    }

    /** Cursor state shared by both scanners: reads code points with bounds, emits word lengths. */
    private static final class Scan {
        final int[] cps;
        final int start, end;
        final PreTokenizer.IntList out;
        int prevEnd;

        Scan(int[] cps, int start, int end, PreTokenizer.IntList out) {
            this.cps = cps;
            this.start = start;
            this.end = end;
            this.out = out;
            this.prevEnd = start;
        }

        int cpt(int pos) {
            return pos >= start && pos < end ? cps[pos] : OUT;
        }

        /** Ends the current word at {@code wordEnd}; returns {@code wordEnd} (llama.cpp returns the length). */
        int add(int wordEnd) {
            int len = wordEnd - prevEnd;
            if (len > 0) out.add(len);
            prevEnd = wordEnd;
            return wordEnd;
        }
    }
}
