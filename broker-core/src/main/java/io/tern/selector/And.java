package io.tern.selector;

/**
 * {@code AND} with SQL three-valued logic: false if either side is false, true if both are true,
 * otherwise unknown. A side that is not a truth value (a property holding a string, say) counts as
 * unknown. Stops after a false left side.
 *
 * <p>Immutable and thread-safe.
 */
final class And extends Node {

    private final Node left;
    private final Node right;

    And(Node left, Node right) {
        this.left = left;
        this.right = right;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind l = left.evaluate(evaluation);
        if (l == ValueKind.FALSE) {
            return ValueKind.FALSE;
        }
        ValueKind r = right.evaluate(evaluation);
        if (r == ValueKind.FALSE) {
            return ValueKind.FALSE;
        }
        return l == ValueKind.TRUE && r == ValueKind.TRUE ? ValueKind.TRUE : ValueKind.NULL;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " AND " + right + ")";
    }
}
