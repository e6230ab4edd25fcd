package io.tern.selector;

/**
 * A name in a selector: a header or a property. Some operators (IN, LIKE, IS NULL) take only
 * identifiers on their left, as the spec says.
 *
 * <p>Immutable and thread-safe.
 */
abstract class Identifier extends Node {

    abstract String name();

    @Override
    public String toString() {
        return name();
    }
}
