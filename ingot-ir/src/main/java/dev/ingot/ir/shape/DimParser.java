package dev.ingot.ir.shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the printed form of dims and shapes: integers, symbols (identifiers or {@code 'quoted names'}), + - * /
 * (exact division) and parentheses, left-associative with * and / binding tighter; shapes are {@code [d, ...]}.
 */
final class DimParser {
    private final String s;
    private int i;

    private DimParser(String s) { this.s = s; }

    static Dim parseDim(String text) {
        DimParser p = new DimParser(text);
        Dim d = p.expr();
        p.end();
        return d;
    }

    static Shape parseShape(String text) {
        DimParser p = new DimParser(text);
        p.expect('[');
        List<Dim> dims = new ArrayList<>();
        if (!p.peek(']')) {
            do dims.add(p.expr()); while (p.accept(','));
        }
        p.expect(']');
        p.end();
        return new Shape(dims);
    }

    // expr := term (('+' | '-') term)*
    private Dim expr() {
        Dim d = term();
        while (true) {
            if (accept('+')) d = d.plus(term());
            else if (accept('-')) d = d.minus(term());
            else return d;
        }
    }

    // term := ['-'] factor (('*' | '/') factor)*  -- '/' is exact division (Dim.div)
    private Dim term() {
        Dim d = accept('-') ? factor().times(-1) : factor();
        while (true) {
            if (accept('*')) d = d.times(factor());
            else if (accept('/')) d = d.div(factor());
            else return d;
        }
    }

    // factor := integer | identifier | 'quoted name' | '(' expr ')'
    private Dim factor() {
        skip();
        if (accept('(')) {
            Dim d = expr();
            expect(')');
            return d;
        }
        if (i < s.length() && s.charAt(i) == '\'') {
            int end = s.indexOf('\'', i + 1);
            if (end < 0) throw error("unterminated quoted symbol");
            String name = s.substring(i + 1, end);
            i = end + 1;
            return Dim.sym(name);
        }
        int start = i;
        if (i < s.length() && Character.isDigit(s.charAt(i))) {
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            return Dim.of(Long.parseLong(s.substring(start, i)));
        }
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        if (start == i) throw error("expected a number, symbol or '('");
        return Dim.sym(s.substring(start, i));
    }

    private void skip() { while (i < s.length() && s.charAt(i) == ' ') i++; }

    private boolean peek(char c) {
        skip();
        return i < s.length() && s.charAt(i) == c;
    }

    private boolean accept(char c) {
        if (!peek(c)) return false;
        i++;
        return true;
    }

    private void expect(char c) {
        if (!accept(c)) throw error("expected '" + c + "'");
    }

    private void end() {
        skip();
        if (i != s.length()) throw error("unexpected text");
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + i + " of \"" + s + "\"");
    }
}
