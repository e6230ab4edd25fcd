package io.tern.selector;

/**
 * What a node evaluated to. Truth values are kinds of their own ({@link #TRUE}, {@link #FALSE}, and
 * {@link #NULL} for SQL's unknown), so conditions need no register; numbers and strings leave their
 * value in the {@link Evaluation} register. Returning an enum constant keeps evaluation free of boxing.
 *
 * <p>Immutable and thread-safe.
 */
enum ValueKind {
    /** No value: a missing property, a null header, or the unknown truth value. */
    NULL,
    TRUE,
    FALSE,
    /** An exact number (byte, short, int or long), in {@link Evaluation#longValue}. */
    LONG,
    /** An approximate number (float or double), in {@link Evaluation#doubleValue}. */
    DOUBLE,
    /** A string, in {@link Evaluation#stringValue}. */
    STRING,
    /**
     * A value selectors cannot use: a property of a type the spec does not allow, or arithmetic on a
     * non-number. It is not null, but it compares false with everything.
     */
    OTHER;

    boolean isNumber() {
        return this == LONG || this == DOUBLE;
    }

    boolean isBoolean() {
        return this == TRUE || this == FALSE;
    }

    static ValueKind of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
