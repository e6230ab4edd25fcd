package io.tern.selector;

/**
 * The type of an expression as far as the parser can know it, used to reject selectors that could never
 * be meaningful (such as {@code 'a' + 1}). Property values have no type until a message arrives, so
 * identifiers of properties are {@link #ANY}.
 *
 * <p>Immutable and thread-safe.
 */
enum ExpressionType {
    BOOLEAN("a condition"),
    NUMBER("a number"),
    STRING("a string"),
    ANY("a value of any type");

    private final String description;

    ExpressionType(String description) {
        this.description = description;
    }

    /** For error messages: "a number", "a string", ... */
    String description() {
        return description;
    }
}
