package dev.weft.tls.internal.json;

import java.util.List;
import java.util.Map;

/**
 * A tiny JSON writer for weft's own values: maps (written in iteration order), lists, strings, booleans,
 * numbers and null. Strings are escaped exactly as JavaScript's {@code JSON.stringify} escapes them, so output
 * can be compared with Node's byte for byte. Stateless and thread-safe.
 */
public final class Json {
    private Json() {
    }

    /** {@code value} as compact JSON, as {@code JSON.stringify(value)} writes it. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object value) {
        switch (value) {
            case null -> b.append("null");
            case String s -> quote(b, s);
            case Boolean bool -> b.append(bool);
            case Integer i -> b.append(i);
            case Long l -> b.append(l);
            case Double d -> b.append(d.isNaN() || d.isInfinite() ? "null" // three decimals: weft bench's figures
                    : String.format(java.util.Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", ""));
            case Number n -> b.append(n);
            case Map<?, ?> map -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, list.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    /** Appends {@code s} as a JSON string literal, escaped as {@code JSON.stringify} does. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || loneSurrogate) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * Re-indents compact JSON as {@code JSON.stringify(value, null, indent)} lays it out: one member per line,
     * {@code "key": value}, empty objects and arrays as {@code {}} and {@code []}.
     */
    public static String pretty(String compact, int indent) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\') {
                    b.append(compact.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    b.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < compact.length() && compact.charAt(i + 1) == close) {
                        b.append(c).append(close);
                        i++;
                    } else {
                        b.append(c);
                        depth++;
                        newline(b, depth, indent);
                    }
                }
                case '}', ']' -> {
                    depth--;
                    newline(b, depth, indent);
                    b.append(c);
                }
                case ',' -> {
                    b.append(c);
                    newline(b, depth, indent);
                }
                case ':' -> b.append(": ");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static void newline(StringBuilder b, int depth, int indent) {
        b.append('\n');
        b.append(" ".repeat(depth * indent));
    }

    /**
     * Reads a JSON string literal (with its quotes), as {@code JSON.parse} does; used where Node's own output
     * embeds one. Throws {@link IllegalArgumentException} when {@code literal} is not one.
     */
    public static String parseString(String literal) {
        if (literal.length() < 2 || literal.charAt(0) != '"' || literal.charAt(literal.length() - 1) != '"') {
            throw new IllegalArgumentException("not a JSON string literal: " + literal);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
