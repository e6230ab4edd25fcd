package io.tern.selector;

/**
 * A node of a compiled selector. {@link #evaluate} returns what the node evaluated to and, for numbers
 * and strings, leaves the value in the evaluation's register; it must not allocate.
 * {@link #toString()} renders the node fully parenthesized, which shows how the selector was parsed.
 *
 * <p>Nodes are immutable after parsing and therefore thread-safe.
 */
abstract class Node {

    /** Levels of nodes from this one down to its deepest leaf, which bounds evaluation's recursion. */
    private final int depth;

    /** For leaves. */
    Node() {
        depth = 1;
    }

    Node(Node... children) {
        int deepest = 0;
        for (Node child : children) {
            deepest = Math.max(deepest, child.depth);
        }
        depth = deepest + 1;
    }

    final int depth() {
        return depth;
    }

    abstract ValueKind evaluate(Evaluation evaluation);

    /** The type as known at parse time. */
    abstract ExpressionType type();
}
