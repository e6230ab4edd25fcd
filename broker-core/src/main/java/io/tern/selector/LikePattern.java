package io.tern.selector;

import java.util.Arrays;

/**
 * A LIKE pattern compiled once: {@code _} matches any one character (a whole code point, so a
 * supplementary character counts as one), {@code %} any sequence including the empty one, and the escape
 * character makes the {@code _}, {@code %} or escape character after it literal. Matching is
 * case-sensitive, allocates nothing, and backtracks only to the most recent {@code %}, so it takes at
 * most time proportional to the product of the pattern and value lengths (usually linear).
 *
 * <p>Immutable and thread-safe.
 */
final class LikePattern {

    /** Marks a {@code %} in {@link #elements}; other elements are literal UTF-16 chars. */
    private static final int ANY_SEQUENCE = -1;
    /** Marks a {@code _} in {@link #elements}. */
    private static final int ANY_CHARACTER = -2;

    private final String source;
    private final int escape;
    private final int[] elements;
    /** The literal the pattern equals when it has no wildcards, so matching is a plain equals. */
    private final String exact;

    private LikePattern(String source, int escape, int[] elements, String exact) {
        this.source = source;
        this.escape = escape;
        this.elements = elements;
        this.exact = exact;
    }

    /**
     * @param escape the escape character, or -1 for none
     * @throws IllegalArgumentException if the escape character is misused; the message says where
     */
    static LikePattern compile(String pattern, int escape) {
        int[] elements = new int[pattern.length()];
        StringBuilder literal = new StringBuilder(pattern.length());
        boolean wildcards = false;
        int count = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == escape) {
                if (i + 1 == pattern.length()) {
                    throw new IllegalArgumentException("the pattern ends with the escape character");
                }
                char escaped = pattern.charAt(++i);
                if (escaped != '%' && escaped != '_' && escaped != escape) {
                    throw new IllegalArgumentException("escape character at index " + (i - 1)
                            + " of the pattern is followed by '" + escaped
                            + "'; it may only precede '%', '_' or itself");
                }
                elements[count++] = escaped;
                literal.append(escaped);
            } else if (c == '%') {
                wildcards = true;
                // Consecutive %s mean the same as one; collapsing them keeps backtracking cheap.
                if (count == 0 || elements[count - 1] != ANY_SEQUENCE) {
                    elements[count++] = ANY_SEQUENCE;
                }
            } else if (c == '_') {
                wildcards = true;
                elements[count++] = ANY_CHARACTER;
            } else {
                elements[count++] = c;
                literal.append(c);
            }
        }
        return new LikePattern(pattern, escape, Arrays.copyOf(elements, count),
                wildcards ? null : literal.toString());
    }

    boolean matches(String value) {
        if (exact != null) {
            return exact.equals(value);
        }
        int p = 0;
        int v = 0;
        int lastSequence = -1;
        int lastSequenceValue = 0;
        while (v < value.length()) {
            if (p < elements.length) {
                int element = elements[p];
                if (element == ANY_SEQUENCE) {
                    // Try the empty sequence first; come back here to let it take one more character.
                    lastSequence = p++;
                    lastSequenceValue = v;
                    continue;
                }
                if (element == ANY_CHARACTER) {
                    v += Character.charCount(value.codePointAt(v));
                    p++;
                    continue;
                }
                if (element == value.charAt(v)) {
                    v++;
                    p++;
                    continue;
                }
            }
            if (lastSequence < 0) {
                return false;
            }
            p = lastSequence + 1;
            lastSequenceValue += Character.charCount(value.codePointAt(lastSequenceValue));
            v = lastSequenceValue;
        }
        while (p < elements.length && elements[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == elements.length;
    }

    @Override
    public String toString() {
        return Literal.quote(source) + (escape < 0 ? "" : " ESCAPE " + Literal.quote(String.valueOf((char) escape)));
    }
}
