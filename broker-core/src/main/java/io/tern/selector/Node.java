package io.tern.selector;

/**
 * A node of a compiled selector. {@link #evaluate} returns what the node evaluated to and, for numbers
 * and strings, leaves the value in the evaluation's register; it must not allocate.
 * {@link #toString()} renders the node fully parenthesized, which shows how the selector was parsed.
 *
 * <p>Nodes are immutable after parsing and therefore thread-safe.
 */
abstract class Node {

    abstract ValueKind evaluate(Evaluation evaluation);

    /** The type as known at parse time. */
    abstract ExpressionType type();
}
