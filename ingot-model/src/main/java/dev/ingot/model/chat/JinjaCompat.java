package dev.ingot.model.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * What chat templates written for Python's Jinja2 (as Hugging Face renders them) need beyond Jinjava:
 * HF's {@code tojson} (Python json.dumps), {@code raise_exception}, {@code strftime_now}, and Python string
 * methods ({@code .strip()}, {@code .startswith(..)}, {@code .split(..)}, ...) which Jinjava alone would look
 * up as Java methods; an EL resolver placed before Jinjava's answers them.
 */
final class JinjaCompat {
    private JinjaCompat() {}

    /**
     * Resolves Python string-method calls on Java strings ({@code s.strip()}, {@code s.split(',')[-1]}, ...),
     * ahead of Jinjava's own resolver, which can only call Java methods.
     */
    static ELResolver resolver() {
        CompositeELResolver r = new CompositeELResolver();
        r.add(new PyStringMethods());
        r.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return r;
    }

    private static final Pattern REVERSED = Pattern.compile("\\[::-1\\](?![\\[.])");
    private static final Pattern NOT_COMPARISON = Pattern.compile(
            "(\\{%-?\\s*(?:el)?if\\s+)not\\s+((?:(?!\\band\\b|\\bor\\b|%\\}).)*?(?:==|!=)(?:(?!\\band\\b|\\bor\\b|%\\}).)*?)(\\s*-?%\\})");

    /**
     * Source rewrites for Python-Jinja syntax Jinjava parses differently: {@code x[::-1]} (no extended slices in
     * Jinjava) becomes {@code x|reverse}; {@code if not a == b} (Jinjava binds {@code not} tighter than
     * {@code ==}) becomes {@code if not (a == b)}; namespace() keyword values get parentheses.
     */
    static String rewrite(String source) {
        String s = REVERSED.matcher(source).replaceAll("|reverse");
        s = NOT_COMPARISON.matcher(s).replaceAll("$1not ($2)$3");
        return parenthesizeNamespaceArgs(s);
    }

    /**
     * {@code namespace(n=messages|length - 1)}: Jinjava ends a keyword argument's value at the filter, so the
     * value gets parentheses: {@code namespace(n=(messages|length - 1))}.
     */
    static String parenthesizeNamespaceArgs(String s) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int at; (at = s.indexOf("namespace(", from)) >= 0; ) {
            int open = at + "namespace(".length();
            int close = matchingParen(s, open - 1);
            if (close < 0) break;
            out.append(s, from, open);
            List<String> args = splitTopLevel(s.substring(open, close));
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                int eq = a.indexOf('=');
                boolean kw = eq > 0 && a.substring(0, eq).strip().matches("\\w+") && (eq + 1 >= a.length() || a.charAt(eq + 1) != '=');
                out.append(i > 0 ? "," : "").append(kw ? a.substring(0, eq + 1) + "(" + a.substring(eq + 1) + ")" : a);
            }
            out.append(')');
            from = close + 1;
        }
        return out.append(s.substring(from)).toString();
    }

    /** Index of the ')' matching the '(' at {@code open}, skipping quoted strings; -1 if none. */
    private static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i));
                start = i + 1;
            }
        }
        if (start < args.length() || !parts.isEmpty()) parts.add(args.substring(start));
        return parts;
    }

    /** Python's {@code is iterable}: strings are iterable too (Llama 3.x templates rely on it for tool output). */
    static final class Iterable implements ExpTest {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof CharSequence || var instanceof java.lang.Iterable<?> || var instanceof Map<?, ?>
                    || (var != null && var.getClass().isArray());
        }
    }

    static List<Filter> filters() {
        return List.of(new ToJson());
    }

    /** Python str methods templates call. Anything else falls through to Jinjava. */
    static final class PyStringMethods extends ELResolver {
        @Override
        public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
            if (!(base instanceof String s) || method == null) return null;
            Object[] a = params == null ? new Object[0] : params;
            Object result = switch (method.toString()) {
                case "strip" -> strip(s, a.length > 0 ? str(a[0]) : null, true, true);
                case "lstrip" -> strip(s, a.length > 0 ? str(a[0]) : null, true, false);
                case "rstrip" -> strip(s, a.length > 0 ? str(a[0]) : null, false, true);
                case "startswith" -> a.length > 0 && s.startsWith(str(a[0]));
                case "endswith" -> a.length > 0 && s.endsWith(str(a[0]));
                case "split" -> split(s, a.length > 0 ? str(a[0]) : null);
                case "upper" -> s.toUpperCase(Locale.ROOT);
                case "lower" -> s.toLowerCase(Locale.ROOT);
                case "title" -> title(s);
                case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
                case "replace" -> a.length >= 2 ? s.replace(str(a[0]), str(a[1])) : null;
                case "find" -> a.length > 0 ? s.indexOf(str(a[0])) : null;
                case "count" -> a.length > 0 ? count(s, str(a[0])) : null;
                case "join" -> a.length > 0 && a[0] instanceof java.lang.Iterable<?> it ? join(s, it) : null;
                default -> null;
            };
            if (result != null) context.setPropertyResolved(true);
            return result;
        }

        /** {@code s[i]} on strings, negative indices from the end as in Python. */
        @Override
        public Object getValue(ELContext context, Object base, Object property) {
            if (!(base instanceof String s) || property == null) return null;
            int idx;
            try {
                idx = property instanceof Number n ? n.intValue() : Integer.parseInt(property.toString());
            } catch (NumberFormatException e) {
                return null; // a property name, not an index
            }
            int i = idx < 0 ? s.length() + idx : idx;
            if (i < 0 || i >= s.length()) return null;
            context.setPropertyResolved(true);
            return String.valueOf(s.charAt(i));
        }

        @Override
        public Class<?> getType(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public void setValue(ELContext context, Object base, Object property, Object value) {}

        @Override
        public boolean isReadOnly(ELContext context, Object base, Object property) {
            return true;
        }

        @Override
        public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
            return null;
        }

        @Override
        public Class<?> getCommonPropertyType(ELContext context, Object base) {
            return null;
        }
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) n++;
        return n;
    }

    private static String join(String sep, java.lang.Iterable<?> items) {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) {
            if (!sb.isEmpty()) sb.append(sep);
            sb.append(o);
        }
        return sb.toString();
    }

    static List<ELFunctionDefinition> functions() {
        return List.of(
                new ELFunctionDefinition("", "raise_exception", JinjaCompat.class, "raiseException", String.class),
                new ELFunctionDefinition("", "strftime_now", JinjaCompat.class, "strftimeNow", String.class));
    }

    /** Thrown by {@code raise_exception(msg)}; surfaces as a {@link ChatTemplateException} with the message. */
    static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message);
        }
    }

    public static String raiseException(String message) {
        throw new Raised(message);
    }

    public static String strftimeNow(String format) {
        return strftime(ZonedDateTime.now(), format);
    }

    /** Python's strftime for the directives templates use (%d %b %B %Y %y %m %H %M %S %A %a %j %p %I %%). */
    static String strftime(ZonedDateTime t, String format) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
                case 'H' -> sb.append(String.format("%02d", t.getHour()));
                case 'I' -> sb.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'M' -> sb.append(String.format("%02d", t.getMinute()));
                case 'S' -> sb.append(String.format("%02d", t.getSecond()));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    /** HF's tojson: {@code json.dumps(x, ensure_ascii=False, indent=indent, sort_keys=sort_keys)}. */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
            Integer ind = indent == null ? null : Integer.valueOf(((Number) (indent instanceof String s ? Long.valueOf(s) : indent)).intValue());
            boolean sort = Boolean.TRUE.equals(kwargs.get("sort_keys"));
            return PyJson.dumps(var, ind, sort);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0, e = s.length();
        while (left && b < e && (chars == null ? Character.isWhitespace(s.charAt(b)) : chars.indexOf(s.charAt(b)) >= 0)) b++;
        while (right && e > b && (chars == null ? Character.isWhitespace(s.charAt(e - 1)) : chars.indexOf(s.charAt(e - 1)) >= 0)) e--;
        return s.substring(b, e);
    }

    private static Object split(String s, String sep) {
        if (sep == null) return new ArrayList<>(Arrays.asList(s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+")));
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at; (at = s.indexOf(sep, from)) >= 0; from = at + sep.length()) parts.add(s.substring(from, at));
        parts.add(s.substring(from));
        return parts;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return sb.toString();
    }
}
