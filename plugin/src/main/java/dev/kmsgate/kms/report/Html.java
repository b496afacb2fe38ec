package dev.kmsgate.kms.report;

import java.util.Locale;

/** A small HTML and SVG writer: every text and attribute value it is given is escaped. */
final class Html {

    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes text for an element's content or a quoted attribute value. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A number as the log prints it: {@code 12,345}. */
    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Seconds with one decimal, as the log prints them. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    /** A coordinate with at most one decimal. */
    static String coordinate(double value) {
        long tenths = Math.round(value * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    /** A start tag; {@code attributes} are name, value pairs, and a null value leaves the attribute out. */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    /** An element without content, closed the XML way (inside SVG). */
    Html empty(String tag, String... attributes) {
        open(tag, attributes);
        out.setCharAt(out.length() - 1, '/');
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element holding only text. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Markup this class wrote itself, or a fragment of a page it wrote. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    Html line() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
